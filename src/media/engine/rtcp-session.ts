// The RTCP side of an RTP endpoint (RFC 3550 §6): a report every ~5 s (randomised 0.5–1.5×, so
// a thousand calls set up together do not report together), the peer's sender reports noted
// for our LSR/DLSR, and a BYE when the endpoint goes away.
import type { RemoteInfo, Socket } from 'node:dgram';
import { parseRtcp } from '../rtp/index.js';
import type { ReceiveStats } from './receive-stats.js';
import { buildGoodbye, buildReport, middleNtp, serializeReport } from './rtcp-reports.js';

const RTCP_INTERVAL_MS = 5000;

export interface RtcpSender {
  ssrc: number;
  /** Packets and octets sent so far and our current RTP timestamp, or null if we sent nothing. */
  sent: { packets: number; octets: number; rtpTimestamp: number } | null;
  stats: ReceiveStats;
}

export class RtcpSession {
  private nextAt: number;
  /** Where the peer's RTCP comes from (RFC 3550 says RTP port + 1, NATs say otherwise). */
  private peer: { address: string; port: number } | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly now: () => number,
    private readonly cname: string,
    private readonly stats: () => ReceiveStats,
  ) {
    this.nextAt = now() + RTCP_INTERVAL_MS * (0.5 + Math.random());
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    // ICMP errors from an unreachable peer surface here; RTCP is best effort.
    socket.on('error', () => undefined);
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    try {
      for (const packet of parseRtcp(msg)) {
        if (packet.type !== 'sr') continue;
        const stats = this.stats();
        stats.lastSr = middleNtp(packet.ntpSeconds, packet.ntpFraction);
        stats.lastSrAt = this.now();
      }
      this.peer = { address: rinfo.address, port: rinfo.port };
    } catch {
      // Not RTCP: ignore it, as RTP stacks do.
    }
  }

  /** Sends a report if one is due; `rtpPeer` is where RTP goes (RTCP defaults to its port + 1). */
  tick(now: number, rtpPeer: { address: string; port: number } | null, sender: RtcpSender): void {
    if (now < this.nextAt) return;
    this.nextAt = now + RTCP_INTERVAL_MS * (0.5 + Math.random());
    void this.send(rtpPeer, sender, false);
  }

  /** Sends a report (and a BYE when `goodbye`); resolves once the datagram has left. */
  send(
    rtpPeer: { address: string; port: number } | null,
    sender: RtcpSender,
    goodbye: boolean,
  ): Promise<void> {
    const target = this.peer ?? (rtpPeer ? { address: rtpPeer.address, port: rtpPeer.port + 1 } : null);
    if (!target) return Promise.resolve();
    const report = buildReport(sender.ssrc, sender.sent, sender.stats, this.now(), this.cname);
    const datagram = goodbye ? buildGoodbye(report, sender.ssrc) : serializeReport(report);
    return new Promise<void>((resolve) =>
      this.socket.send(datagram, target.port, target.address, () => resolve()),
    );
  }

  stop(): void {
    this.socket.removeAllListeners('message');
  }
}
