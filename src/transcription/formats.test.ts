import { describe, expect, it } from 'vitest';
import { transcriptText, transcriptWebVtt } from './formats.js';
import type { TranscriptSegment } from './segment.js';

const seg = (party: 'caller' | 'agent', startMs: number, endMs: number, text: string): TranscriptSegment => ({
  callId: 'c1',
  party,
  startMs,
  endMs,
  text,
  confidence: 0.8,
  language: 'en-US',
  final: true,
});

const segments = [
  seg('agent', 1200, 3400, 'thank you for calling how can i help'),
  seg('caller', 4000, 6500, 'my order <b>never</b> arrived --> & i want a refund'),
  seg('agent', 3_723_004, 3_725_000, 'one moment please'),
];

describe('transcript formats', () => {
  it('writes plain text one line per segment with the time and the speaker', () => {
    expect(transcriptText(segments)).toBe(
      '[00:01.200] Agent: thank you for calling how can i help\n' +
        '[00:04.000] Caller: my order <b>never</b> arrived --> & i want a refund\n' +
        '[1:02:03.004] Agent: one moment please\n',
    );
  });

  it('writes WebVTT cues with voice spans, escaping what would break a cue', () => {
    expect(transcriptWebVtt(segments)).toBe(
      'WEBVTT\n\n' +
        '1\n00:00:01.200 --> 00:00:03.400\n<v Agent>thank you for calling how can i help\n\n' +
        '2\n00:00:04.000 --> 00:00:06.500\n<v Caller>my order &lt;b&gt;never&lt;/b&gt; arrived --&gt; &amp; i want a refund\n\n' +
        '3\n01:02:03.004 --> 01:02:05.000\n<v Agent>one moment please\n',
    );
  });

  it('writes an empty transcript as a header alone', () => {
    expect(transcriptWebVtt([])).toBe('WEBVTT\n');
    expect(transcriptText([])).toBe('');
  });

  it('never writes a cue that ends before it starts', () => {
    expect(transcriptWebVtt([seg('caller', 5000, 5000, 'hm')])).toContain('00:00:05.000 --> 00:00:05.001');
  });
});
