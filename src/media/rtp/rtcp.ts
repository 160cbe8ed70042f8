// RTCP compound packets (RFC 3550 §6.1): several RTCP packets back to back in one datagram,
// each with the common header V=2 | P | count | PT | length (32-bit words minus one).
import { RtpParseError } from './errors.js';
import { parseBye, RTCP_BYE, serializeByeBody, type Goodbye } from './rtcp-bye.js';
import {
  parseReceiverReport,
  parseSenderReport,
  reportBodyLength,
  RTCP_RR,
  RTCP_SR,
  serializeReportBody,
  type ReceiverReport,
  type SenderReport,
} from './rtcp-report.js';
import { parseSdes, RTCP_SDES, serializeSdesBody, type SourceDescription } from './rtcp-sdes.js';

/** A packet type this module does not interpret (APP, feedback, XR): kept as bytes. */
export interface UnknownRtcp {
  type: 'unknown';
  packetType: number;
  count: number;
  body: Uint8Array;
}

export type RtcpPacket = (SenderReport | ReceiverReport | SourceDescription | Goodbye | UnknownRtcp) & {
  /** Padding bytes at the end of this packet (P bit); 0 = none. */
  paddingSize?: number;
};

/** Parses a compound RTCP datagram into its packets. */
export function parseRtcp(bytes: Uint8Array): RtcpPacket[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw new RtpParseError('RTCP_BAD_LENGTH', 'RTCP header cut short');
    const b0 = bytes[at]!;
    if (b0 >> 6 !== 2) throw new RtpParseError('RTP_BAD_VERSION', `RTCP version ${b0 >> 6}`);
    const count = b0 & 0x1f;
    const packetType = bytes[at + 1]!;
    const length = 4 * (view.getUint16(at + 2) + 1);
    if (at + length > bytes.length)
      throw new RtpParseError('RTCP_BAD_LENGTH', `RTCP packet of ${length} bytes runs past the datagram`);
    let end = at + length;
    let paddingSize = 0;
    if (b0 & 0x20) {
      paddingSize = bytes[end - 1]!;
      if (paddingSize === 0 || paddingSize > length - 4)
        throw new RtpParseError('RTCP_BAD_LENGTH', `RTCP padding of ${paddingSize} bytes does not fit`);
      end -= paddingSize;
    }
    const body = at + 4;
    const packet = parseOne(bytes, view, packetType, count, body, end);
    packets.push(paddingSize ? { ...packet, paddingSize } : packet);
    at += length;
  }
  return packets;
}

function parseOne(
  bytes: Uint8Array,
  view: DataView,
  packetType: number,
  count: number,
  body: number,
  end: number,
): RtcpPacket {
  if (packetType === RTCP_SR || packetType === RTCP_RR) {
    if (body + reportBodyLength(packetType, count) > end)
      throw new RtpParseError('RTCP_BAD_LENGTH', `report with ${count} blocks is too short`);
    return packetType === RTCP_SR
      ? parseSenderReport(view, body, end, count)
      : parseReceiverReport(view, body, end, count);
  }
  if (packetType === RTCP_SDES) return parseSdes(bytes, body, end, count);
  if (packetType === RTCP_BYE) return parseBye(bytes, body, end, count);
  return { type: 'unknown', packetType, count, body: bytes.subarray(body, end) };
}

function headerFields(packet: RtcpPacket): { packetType: number; count: number; body: Uint8Array } {
  switch (packet.type) {
    case 'sr':
    case 'rr':
      return {
        packetType: packet.type === 'sr' ? RTCP_SR : RTCP_RR,
        count: packet.reports.length,
        body: serializeReportBody(packet),
      };
    case 'sdes':
      return { packetType: RTCP_SDES, count: packet.chunks.length, body: serializeSdesBody(packet) };
    case 'bye':
      return { packetType: RTCP_BYE, count: packet.ssrcs.length, body: serializeByeBody(packet) };
    case 'unknown':
      return { packetType: packet.packetType, count: packet.count, body: packet.body };
  }
}

/** Serialises packets into one compound datagram. */
export function serializeRtcp(packets: RtcpPacket[]): Buffer {
  const parts: Buffer[] = [];
  for (const packet of packets) {
    const { packetType, count, body } = headerFields(packet);
    if (count > 31) throw new RangeError('an RTCP packet holds at most 31 items');
    const padding = packet.paddingSize ?? 0;
    const length = 4 + body.length + padding;
    if (length % 4 !== 0) throw new RangeError('RTCP packet length must be a multiple of 4 bytes');
    const out = Buffer.alloc(length);
    out[0] = 0x80 | (padding ? 0x20 : 0) | count;
    out[1] = packetType;
    out.writeUInt16BE(length / 4 - 1, 2);
    out.set(body, 4);
    if (padding) out[length - 1] = padding;
    parts.push(out);
  }
  return Buffer.concat(parts);
}

/** RTCP or RTP on a shared port? RTCP packet types 200-204 land in 72-76 of the RTP PT field. */
export function isRtcp(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0]! >> 6 === 2 && bytes[1]! >= 192 && bytes[1]! <= 223;
}
