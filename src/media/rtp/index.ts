// RTP/RTCP wire formats (RFC 3550, RFC 4733): bytes ↔ typed objects, nothing else.
export { RtpParseError } from './errors.js';
export {
  RTP_HEADER_SIZE,
  isRtp,
  parseRtp,
  rtpMarker,
  rtpPayloadEnd,
  rtpPayloadOffset,
  rtpPayloadType,
  rtpSequence,
  rtpSsrc,
  rtpTimestamp,
  serializeRtp,
  writeRtpHeader,
  type RtpHeaderExtension,
  type RtpPacket,
} from './rtp-packet.js';
export { isRtcp, parseRtcp, serializeRtcp, type RtcpPacket, type UnknownRtcp } from './rtcp.js';
export { RTCP_RR, RTCP_SR, type ReceiverReport, type ReportBlock, type SenderReport } from './rtcp-report.js';
export { RTCP_SDES, SDES_CNAME, type SdesChunk, type SdesItem, type SourceDescription } from './rtcp-sdes.js';
export { RTCP_BYE, type Goodbye } from './rtcp-bye.js';
export {
  dtmfDigitOf,
  dtmfEventOf,
  parseTelephoneEvent,
  serializeTelephoneEvent,
  type TelephoneEvent,
} from './telephone-event.js';
