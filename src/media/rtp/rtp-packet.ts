// RTP packets (RFC 3550 §5.1): header with CSRC list, header extension and padding ↔ bytes.
// Pure conversion; the engine's hot path reads single fields with the accessors at the bottom
// instead of building objects.
import { RtpParseError } from './errors.js';

export interface RtpHeaderExtension {
  /** The 16-bit profile-defined value (0xBEDE for RFC 8285 one-byte headers). */
  profile: number;
  /** Extension data, a multiple of 4 bytes. */
  data: Uint8Array;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension: RtpHeaderExtension | null;
  payload: Uint8Array;
  /** Padding bytes after the payload (their count is the last byte); 0 = no padding. */
  paddingSize: number;
}

export const RTP_HEADER_SIZE = 12;

/** Parses an RTP packet. The payload is a view into `bytes`, not a copy. */
export function parseRtp(bytes: Uint8Array): RtpPacket {
  if (bytes.length < RTP_HEADER_SIZE)
    throw new RtpParseError('RTP_TOO_SHORT', `RTP packet of ${bytes.length} bytes`);
  const b0 = bytes[0]!;
  if (b0 >> 6 !== 2) throw new RtpParseError('RTP_BAD_VERSION', `RTP version ${b0 >> 6}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const csrcCount = b0 & 0x0f;
  let at = RTP_HEADER_SIZE;
  const csrcs: number[] = [];
  if (at + 4 * csrcCount > bytes.length)
    throw new RtpParseError('RTP_BAD_LENGTH', 'CSRC list runs past the packet');
  for (let i = 0; i < csrcCount; i++, at += 4) csrcs.push(view.getUint32(at));
  let extension: RtpHeaderExtension | null = null;
  if (b0 & 0x10) {
    if (at + 4 > bytes.length)
      throw new RtpParseError('RTP_BAD_LENGTH', 'extension header runs past the packet');
    const profile = view.getUint16(at);
    const words = view.getUint16(at + 2);
    at += 4;
    if (at + 4 * words > bytes.length)
      throw new RtpParseError('RTP_BAD_LENGTH', 'extension runs past the packet');
    extension = { profile, data: bytes.subarray(at, at + 4 * words) };
    at += 4 * words;
  }
  let end = bytes.length;
  let paddingSize = 0;
  if (b0 & 0x20) {
    paddingSize = bytes[bytes.length - 1]!;
    if (paddingSize === 0 || at + paddingSize > bytes.length)
      throw new RtpParseError('RTP_BAD_LENGTH', `padding of ${paddingSize} bytes does not fit`);
    end -= paddingSize;
  }
  const b1 = bytes[1]!;
  return {
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    extension,
    payload: bytes.subarray(at, end),
    paddingSize,
  };
}

/** Serialises an RTP packet (padding bytes are zeros ending with their count, as RFC 3550 says). */
export function serializeRtp(packet: RtpPacket): Buffer {
  const extBytes = packet.extension ? 4 + packet.extension.data.length : 0;
  if (packet.extension && packet.extension.data.length % 4 !== 0)
    throw new RangeError('RTP header extension data must be a multiple of 4 bytes');
  if (packet.csrcs.length > 15) throw new RangeError('at most 15 CSRCs');
  const size =
    RTP_HEADER_SIZE + 4 * packet.csrcs.length + extBytes + packet.payload.length + packet.paddingSize;
  const out = Buffer.alloc(size);
  out[0] = 0x80 | (packet.paddingSize > 0 ? 0x20 : 0) | (packet.extension ? 0x10 : 0) | packet.csrcs.length;
  out[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  out.writeUInt16BE(packet.sequenceNumber & 0xffff, 2);
  out.writeUInt32BE(packet.timestamp >>> 0, 4);
  out.writeUInt32BE(packet.ssrc >>> 0, 8);
  let at = RTP_HEADER_SIZE;
  for (const csrc of packet.csrcs) {
    out.writeUInt32BE(csrc >>> 0, at);
    at += 4;
  }
  if (packet.extension) {
    out.writeUInt16BE(packet.extension.profile, at);
    out.writeUInt16BE(packet.extension.data.length / 4, at + 2);
    out.set(packet.extension.data, at + 4);
    at += extBytes;
  }
  out.set(packet.payload, at);
  if (packet.paddingSize > 0) out[size - 1] = packet.paddingSize;
  return out;
}

/** Writes a 12-byte header without CSRCs or extension at `out[0]`; the hot path's serializer. */
export function writeRtpHeader(
  out: Uint8Array,
  marker: boolean,
  payloadType: number,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
): void {
  out[0] = 0x80;
  out[1] = (marker ? 0x80 : 0) | payloadType;
  out[2] = (sequenceNumber >> 8) & 0xff;
  out[3] = sequenceNumber & 0xff;
  out[4] = (timestamp >>> 24) & 0xff;
  out[5] = (timestamp >>> 16) & 0xff;
  out[6] = (timestamp >>> 8) & 0xff;
  out[7] = timestamp & 0xff;
  out[8] = (ssrc >>> 24) & 0xff;
  out[9] = (ssrc >>> 16) & 0xff;
  out[10] = (ssrc >>> 8) & 0xff;
  out[11] = ssrc & 0xff;
}

// Field accessors for code that must not allocate per packet. They assume isRtp(bytes).

/** Version 2, long enough for its header, and not an RTCP packet type (RFC 5761 §4). */
export function isRtp(bytes: Uint8Array, length = bytes.length): boolean {
  if (length < RTP_HEADER_SIZE || bytes[0]! >> 6 !== 2) return false;
  const pt = bytes[1]! & 0x7f;
  return pt < 64 || pt > 95;
}

export function rtpPayloadType(bytes: Uint8Array): number {
  return bytes[1]! & 0x7f;
}

export function rtpMarker(bytes: Uint8Array): boolean {
  return (bytes[1]! & 0x80) !== 0;
}

export function rtpSequence(bytes: Uint8Array): number {
  return (bytes[2]! << 8) | bytes[3]!;
}

export function rtpTimestamp(bytes: Uint8Array): number {
  return ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;
}

export function rtpSsrc(bytes: Uint8Array): number {
  return ((bytes[8]! << 24) | (bytes[9]! << 16) | (bytes[10]! << 8) | bytes[11]!) >>> 0;
}

/**
 * Where the payload starts and how long it is, or -1 when the header's lengths are
 * inconsistent. Returns the offset; the length is `rtpPayloadEnd(...) - offset`.
 */
export function rtpPayloadOffset(bytes: Uint8Array, length = bytes.length): number {
  const b0 = bytes[0]!;
  let at = RTP_HEADER_SIZE + 4 * (b0 & 0x0f);
  if (b0 & 0x10) {
    if (at + 4 > length) return -1;
    at += 4 + 4 * ((bytes[at + 2]! << 8) | bytes[at + 3]!);
  }
  return at <= rtpPayloadEnd(bytes, length) ? at : -1;
}

export function rtpPayloadEnd(bytes: Uint8Array, length = bytes.length): number {
  return bytes[0]! & 0x20 ? length - bytes[length - 1]! : length;
}
