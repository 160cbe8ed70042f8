import { describe, expect, it } from 'vitest';
import { transcriptFromJson, transcriptFromLine, TranscriptImportError } from './import.js';

describe('transcript import', () => {
  it('reads a call with timed segments', () => {
    const t = transcriptFromJson({
      callId: 'c1',
      startedAt: '2026-11-24T09:00:00Z',
      agent: 'alice',
      segments: [{ party: 'agent', startMs: 0, endMs: 1200, text: 'hello' }],
    });
    expect(t).toMatchObject({
      callId: 'c1',
      agent: 'alice',
      segments: [{ seq: 0, party: 'agent', endMs: 1200 }],
    });
    expect(t.startedAt!.toISOString()).toBe('2026-11-24T09:00:00.000Z');
  });

  it('reads dialogue turns by speaker and estimates times in order', () => {
    const t = transcriptFromJson({
      id: 'd1',
      lang: 'zh',
      turns: [
        { speaker: 'customer', text: '你好' },
        { speaker: '商家', text: '您好，请问有什么可以帮您' },
      ],
    });
    expect(t.segments.map((s) => s.party)).toEqual(['caller', 'agent']);
    expect(t.segments[1]!.startMs).toBeGreaterThan(t.segments[0]!.endMs);
    expect(t.segments[1]!.speaker).toBe('商家');
  });

  it('names the line and field of a bad call', () => {
    expect(() => transcriptFromLine('{"callId":"x","segments":[{"party":"boss","text":"hi"}]}', 7)).toThrow(
      /line 7: segments\.0\.party/,
    );
    expect(() => transcriptFromLine('{"callId":', 3)).toThrow(TranscriptImportError);
    expect(() => transcriptFromLine('{"segments":[]}', 2)).toThrow(/line 2: callId: a call needs a callId/);
  });
});
