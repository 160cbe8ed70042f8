import { describe, expect, it } from 'vitest';
import { SpeechGate, type GateOutput } from './speech-gate.js';
import { concat, frames, silence } from './testing/audio.js';
import { tone } from './testing/vosk-server.js';

function run(pcm: Int16Array, pauseMs = 300): GateOutput[] {
  const gate = new SpeechGate({ sampleRate: 8000, pauseMs, preRollMs: 100 });
  const out: GateOutput[] = [];
  for (const f of frames(pcm, 8000, 20)) out.push(...gate.push(f));
  out.push(...gate.flush());
  return out;
}

function spans(out: GateOutput[]): [number, number][] {
  const result: [number, number][] = [];
  let start = -1;
  let end = -1;
  for (const o of out) {
    if (o.kind === 'speech') {
      if (start < 0) start = o.at;
      end = o.at + o.pcm.length;
    } else {
      result.push([start, end]);
      start = -1;
    }
  }
  return result;
}

describe('speech gate', () => {
  it('lets speech through with its pre-roll and closes it after the pause, keeping sample positions', () => {
    const audio = concat([
      silence(1000, 8000),
      tone(500, 8000),
      silence(1000, 8000),
      tone(300, 8000),
      silence(500, 8000),
    ]);
    const out = run(audio);
    const s = spans(out);
    expect(s).toHaveLength(2);
    // Starts up to pre-roll (100 ms) + start detection (60 ms) before the tone at 8000.
    expect(s[0]![0]).toBeGreaterThanOrEqual(8000 - 1280);
    expect(s[0]![0]).toBeLessThanOrEqual(8000);
    // Ends 300 ms of quiet after the tone (at 12000).
    expect(s[0]![1]).toBe(12000 + 2400);
    expect(s[1]![0]).toBeLessThanOrEqual(20000);
    // Contiguous speech pieces, positions in order.
    const speech = out.filter((o) => o.kind === 'speech');
    for (let i = 1; i < speech.length; i++) expect(speech[i]!.at).toBeGreaterThan(speech[i - 1]!.at);
  });

  it('lets nothing through from a quiet line, clicks or steady low noise', () => {
    let seed = 1;
    const noise = new Int16Array(16000).map(
      () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 25) - 12,
    );
    expect(run(concat([noise, tone(30, 8000), noise]))).toEqual([]);
  });

  it('closes a stretch still open when the audio ends', () => {
    const out = run(concat([silence(200, 8000), tone(400, 8000)]));
    expect(out[out.length - 1]).toEqual({ kind: 'pause', at: 4800 });
  });
});
