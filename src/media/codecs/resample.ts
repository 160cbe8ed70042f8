// Sample-rate conversion: a streaming 2:1 / 1:2 filter for live audio between 8 kHz (G.711) and
// 16 kHz (G.722, L16/16000) legs, and a one-shot windowed-sinc converter for prompt files of any
// rate (44.1 kHz music on hold, 22.05 kHz espeak output) to 8 or 16 kHz.
//
// Written by hand: the live path needs per-call filter state with no allocation per 20 ms
// frame, which the npm resamplers (WASM libsamplerate/speex builds with async start-up, or
// pure-JS ones working on whole buffers) do not offer; and a windowed-sinc low-pass is a few
// dozen lines. Files are converted once and cached by the engine, so their cost is not on the
// packet path. resample.test.ts checks the result against sox.

/** Kaiser window value for x in [-1, 1]. */
function kaiser(x: number, beta: number): number {
  const besselI0 = (v: number): number => {
    let sum = 1;
    let term = 1;
    for (let k = 1; k < 30; k++) {
      term *= (v / (2 * k)) ** 2;
      sum += term;
    }
    return sum;
  };
  if (x <= -1 || x >= 1) return 0;
  return besselI0(beta * Math.sqrt(1 - x * x)) / besselI0(beta);
}

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}

/** Low-pass FIR taps with cutoff `cutoff` (fraction of the sample rate, < 0.5), unity DC gain. */
function lowPassTaps(count: number, cutoff: number, beta = 7): Float64Array {
  const taps = new Float64Array(count);
  const mid = (count - 1) / 2;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const t = i - mid;
    taps[i] = 2 * cutoff * sinc(2 * cutoff * t) * kaiser(t / (mid + 1), beta);
    sum += taps[i]!;
  }
  for (let i = 0; i < count; i++) taps[i]! /= sum;
  return taps;
}

// 49 taps at 16 kHz with a 3.6 kHz cutoff: > 60 dB stop band above 4.4 kHz, flat to ~3.3 kHz.
// An odd length delays by a whole number of output samples (12 at 8 kHz), keeping waveforms aligned.
const HALF_BAND = lowPassTaps(49, 3600 / 16000);
const TAPS = HALF_BAND.length;

function clip(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/**
 * A FIR history as a doubled ring: each sample is written at `pos` and `pos + TAPS`, so the last
 * TAPS samples are always contiguous at [pos + 1, pos + TAPS] without shifting the array.
 */
class FirHistory {
  private readonly ring = new Float64Array(2 * TAPS);
  private pos = 0;

  push(sample: number): void {
    this.pos = this.pos === TAPS - 1 ? 0 : this.pos + 1;
    this.ring[this.pos] = sample;
    this.ring[this.pos + TAPS] = sample;
  }

  filter(): number {
    const ring = this.ring;
    const start = this.pos + 1;
    let acc = 0;
    for (let k = 0; k < TAPS; k++) acc += ring[start + k]! * HALF_BAND[k]!;
    return acc;
  }
}

/** 16 kHz → 8 kHz, streaming: keep one per stream. */
export class Downsampler2 {
  private readonly history = new FirHistory();

  /** Reads `count` (even) samples from `input`, writes count/2 to `out`; returns samples written. */
  process(input: Int16Array, out: Int16Array, count = input.length, outOffset = 0): number {
    let o = outOffset;
    for (let i = 0; i < count; i++) {
      this.history.push(input[i]!);
      if ((i & 1) === 1) out[o++] = clip(this.history.filter());
    }
    return o - outOffset;
  }
}

/** 8 kHz → 16 kHz, streaming: zero-stuffing then the same low-pass (gain 2). */
export class Upsampler2 {
  private readonly history = new FirHistory();

  /** Reads `count` samples, writes 2·count to `out`; returns samples written. */
  process(input: Int16Array, out: Int16Array, count = input.length, outOffset = 0): number {
    let o = outOffset;
    for (let i = 0; i < count; i++) {
      this.history.push(input[i]! * 2);
      out[o++] = clip(this.history.filter());
      this.history.push(0);
      out[o++] = clip(this.history.filter());
    }
    return o - outOffset;
  }
}

/**
 * Converts a whole signal from `fromRate` to `toRate` with a Kaiser-windowed sinc low-pass at
 * 0.45 of the lower rate (no aliasing when going down, no imaging when going up). The kernel is
 * tabulated once per call (KERNEL_STEPS points per input sample) and read with linear
 * interpolation, which keeps a minute of 44.1 kHz audio well under a second.
 */
export function resample(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return input.slice();
  if (!(fromRate > 0 && toRate > 0))
    throw new RangeError(`cannot resample from ${fromRate} Hz to ${toRate} Hz`);
  const ratio = toRate / fromRate;
  const outLength = Math.floor(input.length * ratio);
  const out = new Int16Array(outLength);
  // Cutoff relative to the input rate; the kernel widens when going down so it filters enough.
  const cutoff = (0.45 * Math.min(fromRate, toRate)) / fromRate;
  const halfWidth = Math.ceil(16 / (2 * cutoff));
  const KERNEL_STEPS = 256;
  const kernel = new Float64Array(halfWidth * KERNEL_STEPS + 2);
  for (let i = 0; i < kernel.length; i++) {
    const x = i / KERNEL_STEPS;
    kernel[i] = 2 * cutoff * sinc(2 * cutoff * x) * kaiser(x / halfWidth, 8);
  }
  const weight = (x: number): number => {
    const pos = Math.abs(x) * KERNEL_STEPS;
    const i = Math.floor(pos);
    if (i >= kernel.length - 1) return 0;
    const frac = pos - i;
    return kernel[i]! + (kernel[i + 1]! - kernel[i]!) * frac;
  };
  for (let n = 0; n < outLength; n++) {
    const t = n / ratio;
    const centre = Math.floor(t);
    const from = Math.max(0, centre - halfWidth + 1);
    const to = Math.min(input.length - 1, centre + halfWidth);
    let acc = 0;
    let norm = 0;
    for (let k = from; k <= to; k++) {
      const w = weight(t - k);
      acc += input[k]! * w;
      norm += w;
    }
    out[n] = clip(norm !== 0 ? acc / norm : 0);
  }
  return out;
}
