import { describe, expect, it } from 'vitest';
import { goertzelPower, rms } from '../codecs/testing.js';
import { INDICATION_TONES, parseTone, ToneGenerator } from './tones.js';

function render(tone: string, ms: number, rate = 8000): Int16Array {
  const out = new Int16Array((ms * rate) / 1000);
  const generator = new ToneGenerator(parseTone(tone), rate);
  for (let at = 0; at < out.length; at += 160) generator.fill(out.subarray(at, at + 160));
  return out;
}

describe('indication tones', () => {
  it('rings 440+480 Hz for 2 s, then 4 s of silence, and again', () => {
    const ring = render('ring', 8000);
    const s = (sec: number): number => sec * 8000;
    expect(goertzelPower(ring, 8000, 440, 0, s(2))).toBeGreaterThan(1e6);
    expect(goertzelPower(ring, 8000, 480, 0, s(2))).toBeGreaterThan(1e6);
    expect(goertzelPower(ring, 8000, 620, 0, s(2))).toBeLessThan(1e4);
    expect(rms(ring, s(2), s(6))).toBe(0);
    expect(rms(ring, s(6), s(8))).toBeGreaterThan(3000);
    expect(INDICATION_TONES.ring).toBe('440+480/2000,0/4000');
  });

  it('plays a busy cadence of 500 ms on, 500 ms off', () => {
    const busy = render('busy', 2000);
    expect(rms(busy, 0, 4000)).toBeGreaterThan(3000);
    expect(rms(busy, 4000, 8000)).toBe(0);
    expect(rms(busy, 8000, 12000)).toBeGreaterThan(3000);
  });

  it("plays '!' parts once: a beep ends by itself", () => {
    const generator = new ToneGenerator(parseTone('beep'), 8000);
    const frame = new Int16Array(160);
    let frames = 0;
    while (!generator.finished && frames < 100) {
      generator.fill(frame);
      frames++;
    }
    expect(frames * 20).toBeGreaterThanOrEqual(250);
    expect(frames * 20).toBeLessThanOrEqual(280);
  });

  it('rejects a tone it cannot read, naming the bad part', () => {
    expect(() => parseTone('440+x/100')).toThrow(/bad tone part '440\+x\/100'/);
  });
});
