// 20 ms PCM frames inside the engine. A frame's rate is implied by its length (160 samples at
// 8 kHz, 320 at 16 kHz); a FrameConverter moves one stream between the two with filter state
// kept across frames.
import { Downsampler2, Upsampler2 } from '../codecs/index.js';
import { FRAME_MS } from './media-clock.js';

export function frameSamples(rate: number): number {
  return (rate * FRAME_MS) / 1000;
}

export class FrameConverter {
  private up: Upsampler2 | null = null;
  private down: Downsampler2 | null = null;
  private readonly out8k = new Int16Array(frameSamples(8000));
  private readonly out16k = new Int16Array(frameSamples(16000));

  /** `frame` at the rate `samples` implies; returns it unchanged when the rates match. */
  convert(frame: Int16Array, samples: number): Int16Array {
    if (frame.length === samples) return frame;
    if (samples === this.out16k.length && frame.length === this.out8k.length) {
      this.up ??= new Upsampler2();
      this.up.process(frame, this.out16k);
      return this.out16k;
    }
    if (samples === this.out8k.length && frame.length === this.out16k.length) {
      this.down ??= new Downsampler2();
      this.down.process(frame, this.out8k);
      return this.out8k;
    }
    throw new RangeError(`cannot convert a ${frame.length}-sample frame to ${samples} samples`);
  }
}

/** Adds `frame` into a 32-bit accumulator. */
export function accumulate(acc: Int32Array, frame: Int16Array): void {
  for (let i = 0; i < acc.length; i++) acc[i]! += frame[i]!;
}

/** Writes acc − minus (if given) into out, clipped to 16 bits. */
export function clipInto(out: Int16Array, acc: Int32Array, minus: Int16Array | null): void {
  for (let i = 0; i < out.length; i++) {
    const v = minus ? acc[i]! - minus[i]! : acc[i]!;
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}

/** Average magnitude per sample: Asterisk's DSP measure for talk and silence detection. */
export function averageMagnitude(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += Math.abs(frame[i]!);
  return sum / frame.length;
}
