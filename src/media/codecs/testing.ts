// Signal measures shared by the codec and engine tests.

/** Normalised cross-correlation of a and b with b shifted by `lag` samples. */
export function correlationAt(a: Int16Array, b: Int16Array, lag: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const j = i + lag;
    if (j < 0 || j >= b.length) continue;
    ab += a[i]! * b[j]!;
    aa += a[i]! * a[i]!;
    bb += b[j]! * b[j]!;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** The largest |correlation| over lags in [-maxLag, maxLag], with its lag. */
export function bestCorrelation(
  a: Int16Array,
  b: Int16Array,
  maxLag: number,
): { correlation: number; lag: number } {
  let best = { correlation: 0, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const c = Math.abs(correlationAt(a, b, lag));
    if (c > best.correlation) best = { correlation: c, lag };
  }
  return best;
}

/** Signal-to-noise ratio in dB of `decoded` (shifted by `lag`) against `reference`. */
export function snrDb(reference: Int16Array, decoded: Int16Array, lag = 0): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i + lag < decoded.length && i < reference.length; i++) {
    signal += reference[i]! ** 2;
    noise += (reference[i]! - decoded[i + lag]!) ** 2;
  }
  return 10 * Math.log10(signal / Math.max(noise, 1e-9));
}

/** Power of frequency `hz` in `samples` (Goertzel), normalised by length. */
export function goertzelPower(
  samples: Int16Array,
  sampleRate: number,
  hz: number,
  from = 0,
  to = samples.length,
): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = samples[i]! + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const n = Math.max(1, to - from);
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / (n * n);
}

export function rms(samples: Int16Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

export function sine(hz: number, sampleRate: number, samples: number, amplitude = 8000): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++)
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return out;
}

/**
 * The median over `window`-sample windows of a of the best local |correlation| with b, lags within
 * ±maxLag of `lag0`: robust to a few gaps or shifts (lost packets, a jitter buffer starting over).
 */
export function windowedCorrelation(
  a: Int16Array,
  b: Int16Array,
  lag0: number,
  maxLag = 20,
  window = 800,
): number {
  const scores: number[] = [];
  for (let at = 0; at + window <= a.length; at += window) {
    const x = a.subarray(at, at + window);
    let best = 0;
    for (let lag = lag0 - maxLag; lag <= lag0 + maxLag; lag++) {
      if (at + lag < 0 || at + lag + window > b.length) continue;
      best = Math.max(best, Math.abs(correlationAt(x, b.subarray(at + lag, at + lag + window), 0)));
    }
    scores.push(best);
  }
  scores.sort((p, q) => p - q);
  return scores.length ? scores[scores.length >> 1]! : 0;
}
