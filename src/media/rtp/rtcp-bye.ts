// RTCP goodbye (BYE, PT 203), RFC 3550 §6.6: the sources leaving, and an optional reason.

export interface Goodbye {
  type: 'bye';
  ssrcs: number[];
  reason?: string;
}

export const RTCP_BYE = 203;

export function parseBye(bytes: Uint8Array, at: number, end: number, count: number): Goodbye {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ssrcs: number[] = [];
  let p = at;
  for (let i = 0; i < count && p + 4 <= end; i++, p += 4) ssrcs.push(view.getUint32(p));
  if (p < end) {
    const length = bytes[p]!;
    return {
      type: 'bye',
      ssrcs,
      reason: new TextDecoder().decode(bytes.subarray(p + 1, Math.min(end, p + 1 + length))),
    };
  }
  return { type: 'bye', ssrcs };
}

export function serializeByeBody(bye: Goodbye): Uint8Array {
  const reason = bye.reason === undefined ? null : new TextEncoder().encode(bye.reason).subarray(0, 255);
  const length = 4 * bye.ssrcs.length + (reason ? 1 + reason.length : 0);
  const body = new Uint8Array((length + 3) & ~3);
  const view = new DataView(body.buffer);
  bye.ssrcs.forEach((ssrc, i) => view.setUint32(4 * i, ssrc >>> 0));
  if (reason) {
    body[4 * bye.ssrcs.length] = reason.length;
    body.set(reason, 4 * bye.ssrcs.length + 1);
  }
  return body;
}
