// G.711 µ-law (PCMU) and A-law (PCMA), table-driven.
//
// Written by hand rather than taken from npm (alawmulaw, g711): those convert sample by sample
// through function calls, and the media engine needs flat lookup tables (a 64 Ki-entry encode
// table per law and direct PCMU↔PCMA byte tables) so that a 20 ms frame costs 160 array reads
// and a relay between a PCMU and a PCMA phone never decodes to PCM. The tables are built from
// the classic Sun reference algorithm (the one sox uses), so our bytes equal sox's bit for bit;
// g711.test.ts checks that against sox itself.

const ULAW_SEGMENT_ENDS = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const ALAW_SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segmentOf(value: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (value <= ends[i]!) return i;
  return ends.length;
}

function ulawFromLinear(sample: number): number {
  // Round (not truncate) to the 14-bit input of the µ-law algorithm, as sox does: truncation
  // would bias small negative samples to the first negative step.
  let value = Math.min(8191, (sample + 2) >> 2);
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  if (value > 8159) value = 8159;
  value += 0x21;
  const segment = segmentOf(value, ULAW_SEGMENT_ENDS);
  if (segment >= 8) return 0x7f ^ mask;
  return ((segment << 4) | ((value >> (segment + 1)) & 0xf)) ^ mask;
}

function alawFromLinear(sample: number): number {
  // Rounded to the 13-bit input, like µ-law above.
  let value = Math.min(4095, (sample + 4) >> 3);
  let mask: number;
  if (value >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    value = -value - 1;
  }
  const segment = segmentOf(value, ALAW_SEGMENT_ENDS);
  if (segment >= 8) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (value >> 1) & 0xf : (value >> segment) & 0xf;
  return ((segment << 4) | mantissa) ^ mask;
}

function linearFromUlaw(byte: number): number {
  const u = ~byte & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

function linearFromAlaw(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else if (segment === 1) t += 0x108;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

/** PCMU byte → linear sample. */
export const ULAW_TO_LINEAR = new Int16Array(256);
/** PCMA byte → linear sample. */
export const ALAW_TO_LINEAR = new Int16Array(256);
/** Linear sample (as an unsigned 16-bit index, `sample & 0xffff`) → PCMU byte. */
export const LINEAR_TO_ULAW = new Uint8Array(65536);
/** Linear sample (as an unsigned 16-bit index, `sample & 0xffff`) → PCMA byte. */
export const LINEAR_TO_ALAW = new Uint8Array(65536);
/** PCMU byte → PCMA byte, for relaying between a µ-law and an A-law phone without decoding. */
export const ULAW_TO_ALAW = new Uint8Array(256);
/** PCMA byte → PCMU byte. */
export const ALAW_TO_ULAW = new Uint8Array(256);

for (let i = 0; i < 256; i++) {
  ULAW_TO_LINEAR[i] = linearFromUlaw(i);
  ALAW_TO_LINEAR[i] = linearFromAlaw(i);
}
for (let i = 0; i < 65536; i++) {
  const sample = i < 32768 ? i : i - 65536;
  LINEAR_TO_ULAW[i] = ulawFromLinear(sample);
  LINEAR_TO_ALAW[i] = alawFromLinear(sample);
}
for (let i = 0; i < 256; i++) {
  ULAW_TO_ALAW[i] = LINEAR_TO_ALAW[ULAW_TO_LINEAR[i]! & 0xffff]!;
  ALAW_TO_ULAW[i] = LINEAR_TO_ULAW[ALAW_TO_LINEAR[i]! & 0xffff]!;
}

/** The µ-law byte of silence (linear 0). */
export const ULAW_SILENCE = LINEAR_TO_ULAW[0]!;
/** The A-law byte of silence (linear 0). */
export const ALAW_SILENCE = LINEAR_TO_ALAW[0]!;

/** Encodes `count` samples of `pcm` into `out` starting at `outOffset`; returns bytes written. */
export function encodeUlaw(pcm: Int16Array, out: Uint8Array, outOffset = 0, count = pcm.length): number {
  for (let i = 0; i < count; i++) out[outOffset + i] = LINEAR_TO_ULAW[pcm[i]! & 0xffff]!;
  return count;
}

export function encodeAlaw(pcm: Int16Array, out: Uint8Array, outOffset = 0, count = pcm.length): number {
  for (let i = 0; i < count; i++) out[outOffset + i] = LINEAR_TO_ALAW[pcm[i]! & 0xffff]!;
  return count;
}

/** Decodes `length` bytes from `bytes[offset]` into `out[outOffset]`; returns samples written. */
export function decodeUlaw(
  bytes: Uint8Array,
  out: Int16Array,
  outOffset = 0,
  offset = 0,
  length = bytes.length - offset,
): number {
  for (let i = 0; i < length; i++) out[outOffset + i] = ULAW_TO_LINEAR[bytes[offset + i]!]!;
  return length;
}

export function decodeAlaw(
  bytes: Uint8Array,
  out: Int16Array,
  outOffset = 0,
  offset = 0,
  length = bytes.length - offset,
): number {
  for (let i = 0; i < length; i++) out[outOffset + i] = ALAW_TO_LINEAR[bytes[offset + i]!]!;
  return length;
}

/** Rewrites G.711 bytes from one law to the other through `table` (ULAW_TO_ALAW or ALAW_TO_ULAW). */
export function transcodeG711(
  table: Uint8Array,
  input: Uint8Array,
  inOffset: number,
  length: number,
  out: Uint8Array,
  outOffset: number,
): void {
  for (let i = 0; i < length; i++) out[outOffset + i] = table[input[inOffset + i]!]!;
}
