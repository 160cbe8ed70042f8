import { describe, expect, it } from 'vitest';
import { Endpointer } from './endpointer.js';
import { concat, frames, silence } from './testing/audio.js';
import { tone } from './testing/vosk-server.js';

function endsAt(pcm: Int16Array, options = { sampleRate: 8000, pauseMs: 300 }): number[] {
  const e = new Endpointer(options);
  const out: number[] = [];
  frames(pcm, options.sampleRate, 10).forEach((f, i) => {
    if (e.push(f)) out.push((i + 1) * 10);
  });
  return out;
}

describe('endpointer', () => {
  it('ends an utterance after the configured pause, once per utterance', () => {
    const audio = concat([
      silence(200, 8000),
      tone(500, 8000),
      silence(500, 8000),
      tone(300, 8000),
      silence(400, 8000),
    ]);
    expect(endsAt(audio)).toEqual([1000, 1800]);
  });

  it('does not end on a pause shorter than configured', () => {
    expect(
      endsAt(concat([tone(300, 8000), silence(200, 8000), tone(300, 8000), silence(100, 8000)])),
    ).toEqual([]);
  });

  it('takes a click for no speech, nor steady line noise', () => {
    const noise = new Int16Array(8000).map(() => Math.round((Math.random() - 0.5) * 200));
    expect(endsAt(concat([noise, tone(20, 8000), noise]))).toEqual([]);
  });
});
