// Our RTCP: a compound SR (when we have sent) or RR, with a report block about the peer's
// stream and an SDES CNAME; a BYE appended when the endpoint goes away.
import { serializeRtcp, type RtcpPacket } from '../rtp/index.js';
import type { ReceiveStats } from './receive-stats.js';

const NTP_EPOCH_OFFSET = 2208988800;

export function ntpNow(): { seconds: number; fraction: number } {
  const ms = Date.now();
  const seconds = Math.floor(ms / 1000) + NTP_EPOCH_OFFSET;
  const fraction = Math.floor(((ms % 1000) / 1000) * 0x100000000);
  return { seconds: seconds >>> 0, fraction: fraction >>> 0 };
}

/** The middle 32 bits of an NTP timestamp (what LSR carries). */
export function middleNtp(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

export function buildReport(
  ssrc: number,
  sender: { packets: number; octets: number; rtpTimestamp: number } | null,
  stats: ReceiveStats,
  nowMs: number,
  cname: string,
): RtcpPacket[] {
  const reports = stats.received ? [stats.reportBlock(nowMs)] : [];
  const extension = new Uint8Array(0);
  const ntp = ntpNow();
  const first: RtcpPacket = sender
    ? {
        type: 'sr',
        ssrc,
        ntpSeconds: ntp.seconds,
        ntpFraction: ntp.fraction,
        rtpTimestamp: sender.rtpTimestamp >>> 0,
        packetCount: sender.packets >>> 0,
        octetCount: sender.octets >>> 0,
        reports,
        extension,
      }
    : { type: 'rr', ssrc, reports, extension };
  return [first, { type: 'sdes', chunks: [{ ssrc, items: [{ type: 1, text: cname }] }] }];
}

export function buildGoodbye(packets: RtcpPacket[], ssrc: number): Buffer {
  return serializeRtcp([...packets, { type: 'bye', ssrcs: [ssrc] }]);
}

export function serializeReport(packets: RtcpPacket[]): Buffer {
  return serializeRtcp(packets);
}
