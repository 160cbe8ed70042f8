// RTCP sender reports (SR, PT 200) and receiver reports (RR, PT 201), RFC 3550 §6.4.

export interface ReportBlock {
  ssrc: number;
  /** Fraction of packets lost since the last report, as an 8-bit fixed point (lost/expected · 256). */
  fractionLost: number;
  /** Cumulative packets lost (24-bit signed). */
  cumulativeLost: number;
  extendedHighestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from this source. */
  lastSr: number;
  /** Delay since that SR, in 1/65536 s. */
  delaySinceLastSr: number;
}

export interface SenderReport {
  type: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: ReportBlock[];
  /** Profile-specific extension bytes after the report blocks (usually empty). */
  extension: Uint8Array;
}

export interface ReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: ReportBlock[];
  extension: Uint8Array;
}

export const RTCP_SR = 200;
export const RTCP_RR = 201;
const BLOCK_SIZE = 24;

export function readReportBlock(view: DataView, at: number): ReportBlock {
  const lost = view.getUint32(at + 4);
  const cumulative = lost & 0xffffff;
  return {
    ssrc: view.getUint32(at),
    fractionLost: lost >>> 24,
    cumulativeLost: cumulative & 0x800000 ? cumulative - 0x1000000 : cumulative,
    extendedHighestSequence: view.getUint32(at + 8),
    jitter: view.getUint32(at + 12),
    lastSr: view.getUint32(at + 16),
    delaySinceLastSr: view.getUint32(at + 20),
  };
}

export function writeReportBlock(view: DataView, at: number, block: ReportBlock): void {
  view.setUint32(at, block.ssrc >>> 0);
  const cumulative = Math.max(-0x800000, Math.min(0x7fffff, block.cumulativeLost)) & 0xffffff;
  view.setUint32(at + 4, (((block.fractionLost & 0xff) << 24) | cumulative) >>> 0);
  view.setUint32(at + 8, block.extendedHighestSequence >>> 0);
  view.setUint32(at + 12, block.jitter >>> 0);
  view.setUint32(at + 16, block.lastSr >>> 0);
  view.setUint32(at + 20, block.delaySinceLastSr >>> 0);
}

/** Parses the body of an SR (after the 4-byte common header); `count` is the header's RC. */
export function parseSenderReport(view: DataView, at: number, end: number, count: number): SenderReport {
  const reports: ReportBlock[] = [];
  let p = at + 24;
  for (let i = 0; i < count; i++, p += BLOCK_SIZE) reports.push(readReportBlock(view, p));
  return {
    type: 'sr',
    ssrc: view.getUint32(at),
    ntpSeconds: view.getUint32(at + 4),
    ntpFraction: view.getUint32(at + 8),
    rtpTimestamp: view.getUint32(at + 12),
    packetCount: view.getUint32(at + 16),
    octetCount: view.getUint32(at + 20),
    reports,
    extension: new Uint8Array(view.buffer, view.byteOffset + p, Math.max(0, end - p)),
  };
}

export function parseReceiverReport(view: DataView, at: number, end: number, count: number): ReceiverReport {
  const reports: ReportBlock[] = [];
  let p = at + 4;
  for (let i = 0; i < count; i++, p += BLOCK_SIZE) reports.push(readReportBlock(view, p));
  return {
    type: 'rr',
    ssrc: view.getUint32(at),
    reports,
    extension: new Uint8Array(view.buffer, view.byteOffset + p, Math.max(0, end - p)),
  };
}

/** Minimum body length an SR/RR with `count` blocks needs. */
export function reportBodyLength(type: number, count: number): number {
  return (type === RTCP_SR ? 24 : 4) + count * BLOCK_SIZE;
}

export function serializeReportBody(report: SenderReport | ReceiverReport): Uint8Array {
  const fixed = report.type === 'sr' ? 24 : 4;
  const body = new Uint8Array(fixed + report.reports.length * BLOCK_SIZE + report.extension.length);
  const view = new DataView(body.buffer);
  view.setUint32(0, report.ssrc >>> 0);
  if (report.type === 'sr') {
    view.setUint32(4, report.ntpSeconds >>> 0);
    view.setUint32(8, report.ntpFraction >>> 0);
    view.setUint32(12, report.rtpTimestamp >>> 0);
    view.setUint32(16, report.packetCount >>> 0);
    view.setUint32(20, report.octetCount >>> 0);
  }
  report.reports.forEach((block, i) => writeReportBlock(view, fixed + i * BLOCK_SIZE, block));
  body.set(report.extension, fixed + report.reports.length * BLOCK_SIZE);
  return body;
}
