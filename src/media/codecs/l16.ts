// L16 (RFC 3551 §4.5.11): linear 16-bit PCM in network byte order (big-endian).

/** Writes `count` samples big-endian at `out[outOffset]`; returns bytes written. */
export function encodeL16(pcm: Int16Array, out: Uint8Array, outOffset = 0, count = pcm.length): number {
  let o = outOffset;
  for (let i = 0; i < count; i++) {
    const s = pcm[i]!;
    out[o++] = (s >> 8) & 0xff;
    out[o++] = s & 0xff;
  }
  return o - outOffset;
}

/** Reads `length` bytes (even) of big-endian samples into `out`; returns samples written. */
export function decodeL16(
  bytes: Uint8Array,
  out: Int16Array,
  outOffset = 0,
  offset = 0,
  length = bytes.length - offset,
): number {
  const n = length >> 1;
  for (let i = 0; i < n; i++) {
    const hi = bytes[offset + 2 * i]!;
    const lo = bytes[offset + 2 * i + 1]!;
    out[outOffset + i] = ((hi << 24) >> 16) | lo;
  }
  return n;
}
