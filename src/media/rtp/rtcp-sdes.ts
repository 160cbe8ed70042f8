// RTCP source description (SDES, PT 202), RFC 3550 §6.5: per source, a list of typed text items
// (1 CNAME, 2 NAME, ... 8 PRIV), each chunk ended by a null octet and padded to 32 bits.

export interface SdesItem {
  type: number;
  text: string;
}

export interface SdesChunk {
  ssrc: number;
  items: SdesItem[];
}

export interface SourceDescription {
  type: 'sdes';
  chunks: SdesChunk[];
}

export const RTCP_SDES = 202;
export const SDES_CNAME = 1;

export function parseSdes(bytes: Uint8Array, at: number, end: number, count: number): SourceDescription {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const chunks: SdesChunk[] = [];
  let p = at;
  for (let c = 0; c < count && p + 4 <= end; c++) {
    const chunk: SdesChunk = { ssrc: view.getUint32(p), items: [] };
    p += 4;
    while (p < end && bytes[p] !== 0) {
      const type = bytes[p]!;
      const length = bytes[p + 1] ?? 0;
      chunk.items.push({ type, text: decoder.decode(bytes.subarray(p + 2, Math.min(end, p + 2 + length))) });
      p += 2 + length;
    }
    // At least one null octet ends the chunk, then nulls up to the next 32-bit boundary.
    p += 1;
    p = at + (((p - at + 3) >> 2) << 2);
    chunks.push(chunk);
  }
  return { type: 'sdes', chunks };
}

export function serializeSdesBody(sdes: SourceDescription): Uint8Array {
  const encoder = new TextEncoder();
  const parts: number[] = [];
  for (const chunk of sdes.chunks) {
    const start = parts.length;
    parts.push(
      (chunk.ssrc >>> 24) & 0xff,
      (chunk.ssrc >>> 16) & 0xff,
      (chunk.ssrc >>> 8) & 0xff,
      chunk.ssrc & 0xff,
    );
    for (const item of chunk.items) {
      const text = encoder.encode(item.text).subarray(0, 255);
      parts.push(item.type, text.length, ...text);
    }
    parts.push(0);
    while ((parts.length - start) % 4 !== 0) parts.push(0);
  }
  return Uint8Array.from(parts);
}
