// The media side of one SIP call or externalMedia channel: an RTP/RTCP socket pair.
//
// Receive: symmetric RTP (latch onto the first source of valid RTP, then ignore any other),
// receive statistics, RFC 4733 DTMF, and then — only as needed — a relay to the other member of
// a two-party mixer (header rewritten to our SSRC/sequence/timestamp, payload copied or
// transcoded PCMU↔PCMA by table, no allocation) and/or the jitter buffer for PCM consumers.
// Send: frames from the media clock (sources, mixers, DTMF), or relayed packets, with one
// continuous sequence and timestamp line whichever of the two is speaking.
import type { RemoteInfo } from 'node:dgram';
import { randomInt } from 'node:crypto';
import {
  ALAW_TO_ULAW,
  createDecoder,
  createEncoder,
  transcodeG711,
  ULAW_TO_ALAW,
  type PayloadEncoder,
} from '../codecs/index.js';
import {
  isRtp,
  rtpPayloadEnd,
  rtpPayloadOffset,
  rtpPayloadType,
  rtpSequence,
  rtpSsrc,
  rtpTimestamp,
  writeRtpHeader,
} from '../rtp/index.js';
import type { MediaEngineEvent, RtpEndpointSettings, RtpStats } from './contract.js';
import { DtmfReceiver, type DtmfPress } from './dtmf-receiver.js';
import { DtmfSender } from './dtmf-sender.js';
import { Endpoint } from './endpoint.js';
import { frameSamples } from './frames.js';
import { JitterBuffer } from './jitter-buffer.js';
import { ReceiveStats } from './receive-stats.js';
import { FRAME_MS } from './media-clock.js';
import type { SocketPair } from './port-pool.js';
import { RtcpSession, type RtcpSender } from './rtcp-session.js';
import { RtpSocket } from './rtp-socket.js';
import type { TargetSources } from './sources.js';

export interface RtpEndpointHooks {
  now(): number;
  emit(event: MediaEngineEvent): void;
  dtmf(endpoint: RtpEndpoint, press: DtmfPress): void;
  topologyChanged(): void;
  /** A packet could not be handled (a bug, not bad input): reported, and the next one is. */
  fault(err: unknown): void;
}

const TX_BUFFERS = 4;
const TX_BUFFER_SIZE = 1500;

export class RtpEndpoint extends Endpoint {
  readonly kind = 'rtp' as const;
  settings: RtpEndpointSettings | null = null;
  remote: { address: string; port: number } | null = null;
  private latched = false;
  private encoder: PayloadEncoder | null = null;
  private jitter: JitterBuffer | null = null;
  /** Set by the topology pass: decode what arrives for PCM consumers. */
  pcmWanted = false;
  /** Set by the topology pass: forward what arrives to this endpoint. */
  relayTarget: RtpEndpoint | null = null;

  readonly ssrc = randomInt(1, 0xffffffff);
  private seq = randomInt(0, 0xffff);
  private ts = randomInt(0, 0xffffffff);
  private lastSendAt = -1;
  /** The media-clock tick of the last frame we generated; -1 after a relayed packet. */
  private lastTick = -1;
  private txPackets = 0;
  private txOctets = 0;
  private readonly txBuffers = Array.from({ length: TX_BUFFERS }, () => Buffer.allocUnsafe(TX_BUFFER_SIZE));
  private txIndex = 0;

  private relaySource: RtpEndpoint | null = null;
  private relaySsrc = -1;
  private seqOffset = 0;
  private tsOffset = 0;

  stats = new ReceiveStats(8000);
  private lastRxAt: number;
  private timeoutReported = false;
  private readonly dtmfIn = new DtmfReceiver(8000);
  private readonly dtmfOut: DtmfSender[] = [];
  private dtmfEventTs = 0;
  /** Packets dropped because they came from a source other than the latched one (before the socket is connected; after, the kernel drops them). */
  foreignPackets = 0;

  private readonly out: RtpSocket;

  private readonly rtcp: RtcpSession;

  constructor(
    id: string,
    readonly sockets: SocketPair,
    readonly address: string,
    sources: TargetSources,
    private readonly hooks: RtpEndpointHooks,
  ) {
    super(id, 8000, sources);
    this.lastRxAt = hooks.now();
    sockets.rtp.on('message', (msg, rinfo) => {
      try {
        this.onRtp(msg, rinfo);
      } catch (err) {
        hooks.fault(err);
      }
    });
    this.out = new RtpSocket(sockets.rtp);
    this.rtcp = new RtcpSession(
      sockets.rtcp,
      () => hooks.now(),
      `hotline@${address}`,
      () => this.stats,
    );
    // A send to an unreachable peer reports ICMP errors here; the call goes on regardless.
    sockets.rtp.on('error', () => undefined);
  }

  get port(): number {
    return this.sockets.port;
  }

  configure(settings: RtpEndpointSettings): void {
    const previous = this.settings;
    this.settings = settings;
    const sameRemote =
      previous?.remote?.address === settings.remote?.address &&
      previous?.remote?.port === settings.remote?.port;
    // A new address in the SDP (a re-INVITE moving the call, hold with 0.0.0.0) starts latching
    // again, as Asterisk's strict RTP relearns; the same SDP again keeps the latched source.
    if (!settings.latch || !this.latched || !previous?.latch || !sameRemote) {
      this.remote = settings.remote;
      this.latched = false;
      this.out.disconnect();
    }
    if (settings.latch && settings.remote && !this.latched) this.remote = settings.remote;
    const codecChanged =
      !previous || previous.codec !== settings.codec || previous.sampleRate !== settings.sampleRate;
    if (codecChanged) {
      this.setRate(settings.sampleRate);
      this.encoder = createEncoder(settings.codec, settings.sampleRate);
      this.jitter = new JitterBuffer(
        createDecoder(settings.codec, settings.sampleRate),
        frameSamples(settings.sampleRate),
      );
    }
    if (!previous || previous.rtpClockRate !== settings.rtpClockRate) {
      this.stats = new ReceiveStats(settings.rtpClockRate);
    }
    this.lastRxAt = this.hooks.now();
    this.timeoutReported = false;
    this.hooks.topologyChanged();
  }

  /** The codec pair lets packets pass without decoding (same codec, or PCMU↔PCMA by table). */
  canRelayTo(other: RtpEndpoint): boolean {
    const a = this.settings;
    const b = other.settings;
    if (!a || !b || a.rtpClockRate !== b.rtpClockRate) return false;
    if (a.codec === b.codec) return a.sampleRate === b.sampleRate;
    return (a.codec === 'PCMU' || a.codec === 'PCMA') && (b.codec === 'PCMU' || b.codec === 'PCMA');
  }

  private get receiving(): boolean {
    const d = this.settings?.direction;
    return d === 'sendrecv' || d === 'recvonly';
  }

  private get sending(): boolean {
    const d = this.settings?.direction;
    return this.remote !== null && !this.muteOut && (d === 'sendrecv' || d === 'sendonly');
  }

  get dtmfSending(): boolean {
    return this.dtmfOut.length > 0;
  }

  private onRtp(msg: Buffer, rinfo: RemoteInfo): void {
    const settings = this.settings;
    if (!settings || !isRtp(msg)) return;
    if (settings.latch) {
      if (!this.latched) {
        this.remote = { address: rinfo.address, port: rinfo.port };
        this.latched = true;
        this.out.connect(this.remote);
      } else if (rinfo.port !== this.remote!.port || rinfo.address !== this.remote!.address) {
        this.foreignPackets++;
        return;
      }
    }
    if (!this.receiving) return;
    const offset = rtpPayloadOffset(msg);
    const end = rtpPayloadEnd(msg);
    if (offset < 0 || end < offset) return;
    const now = this.hooks.now();
    this.lastRxAt = now;
    this.timeoutReported = false;
    const ssrc = rtpSsrc(msg);
    const seq = rtpSequence(msg);
    const timestamp = rtpTimestamp(msg);
    this.stats.record(ssrc, seq, timestamp, end - offset, now);
    const pt = rtpPayloadType(msg);
    if (pt === settings.dtmfPayloadType) {
      const press = this.dtmfIn.receive(ssrc, timestamp, msg.subarray(offset, end));
      if (press) this.hooks.dtmf(this, press);
      if (this.relayTarget && !this.muteIn) this.relayTarget.relay(msg, offset, end, this, true);
      return;
    }
    if (pt !== settings.payloadType || this.muteIn) return;
    if (this.relayTarget) this.relayTarget.relay(msg, offset, end, this, false);
    if (this.pcmWanted && this.jitter) this.jitter.push(ssrc, seq, msg.subarray(offset, end));
  }

  /** Sends a packet that arrived on `from` as ours (the two-party fast path). */
  relay(msg: Buffer, offset: number, end: number, from: RtpEndpoint, dtmf: boolean): void {
    if (!this.sending || this.clocked) return;
    const settings = this.settings!;
    const pt = dtmf ? settings.dtmfPayloadType : settings.payloadType;
    if (pt === null) return;
    const inSeq = rtpSequence(msg);
    const inTs = rtpTimestamp(msg);
    const ssrc = rtpSsrc(msg);
    const now = this.hooks.now();
    let marker = (msg[1]! & 0x80) !== 0;
    if (from !== this.relaySource || ssrc !== this.relaySsrc) {
      // A new stream starts speaking through us: continue our own sequence/timestamp line.
      this.relaySource = from;
      this.relaySsrc = ssrc;
      const outTs = this.nextTimestamp(now);
      this.lastTick = -1;
      this.seqOffset = (this.seq + 1 - inSeq) & 0xffff;
      this.tsOffset = (outTs - inTs) >>> 0;
      marker = true;
    }
    const outSeq = (inSeq + this.seqOffset) & 0xffff;
    const outTs = (inTs + this.tsOffset) >>> 0;
    const buffer = this.txBuffers[this.txIndex]!;
    this.txIndex = (this.txIndex + 1) % TX_BUFFERS;
    const length = end - offset;
    if (12 + length > TX_BUFFER_SIZE) return;
    writeRtpHeader(buffer, marker, pt, outSeq, outTs, this.ssrc);
    const fromCodec = from.settings!.codec;
    if (dtmf || fromCodec === settings.codec) msg.copy(buffer, 12, offset, end);
    else transcodeG711(fromCodec === 'PCMU' ? ULAW_TO_ALAW : ALAW_TO_ULAW, msg, offset, length, buffer, 12);
    // Only a packet newer than the last one moves our line on (a reordered one keeps its place).
    if (((outSeq - this.seq) & 0xffff) < 0x8000) {
      this.seq = outSeq;
      this.ts = outTs;
    }
    this.lastSendAt = now;
    this.transmit(buffer, 12 + length);
  }

  /**
   * The timestamp of the next packet: one frame per media-clock tick while we generate the
   * audio (exact even when the clock runs a tick late), else by the wall-clock time elapsed.
   */
  private nextTimestamp(now: number, tick = -1): number {
    const step = (this.settings!.rtpClockRate * FRAME_MS) / 1000;
    if (this.lastSendAt < 0) return this.ts;
    const frames =
      tick >= 0 && this.lastTick >= 0
        ? Math.max(1, tick - this.lastTick)
        : Math.max(1, Math.round((now - this.lastSendAt) / FRAME_MS));
    return (this.ts + frames * step) >>> 0;
  }

  private transmit(buffer: Buffer, length: number): void {
    this.txPackets++;
    this.txOctets += length - 12;
    this.out.send(buffer, length, this.remote!);
  }

  protected pullPeer(): Int16Array | null {
    return this.jitter ? this.jitter.pull() : null;
  }

  /** The media clock's work for this endpoint: DTMF, or the frame it says. */
  tick(tick: number): void {
    const sender = this.dtmfOut[0];
    if (sender) {
      const packet = sender.next();
      if (packet) this.sendDtmfPacket(packet.payload, packet.marker, packet.newEvent, packet.duration, tick);
      if (sender.finished) {
        this.dtmfOut.shift();
        this.hooks.topologyChanged();
      }
      return;
    }
    const frame = this.saidFrame(tick);
    if (frame && this.sending) this.sendFrame(frame, tick);
  }

  private sendFrame(frame: Int16Array, tick: number): void {
    const now = this.hooks.now();
    const gap =
      this.lastTick >= 0
        ? tick - this.lastTick > 1
        : this.lastSendAt >= 0 && now - this.lastSendAt > 1.5 * FRAME_MS;
    const ts = this.nextTimestamp(now, tick);
    this.lastTick = tick;
    const buffer = this.txBuffers[this.txIndex]!;
    this.txIndex = (this.txIndex + 1) % TX_BUFFERS;
    const bytes = this.encoder!.encode(frame, buffer, 12, frame.length);
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = ts;
    writeRtpHeader(
      buffer,
      this.lastSendAt < 0 || gap || this.relaySource !== null,
      this.settings!.payloadType,
      this.seq,
      ts,
      this.ssrc,
    );
    this.relaySource = null;
    this.relaySsrc = -1;
    this.lastSendAt = now;
    this.transmit(buffer, 12 + bytes);
  }

  private sendDtmfPacket(
    payload: Buffer,
    marker: boolean,
    newEvent: boolean,
    duration: number,
    tick: number,
  ): void {
    const pt = this.settings?.dtmfPayloadType;
    if (pt === null || pt === undefined || !this.sending) return;
    const now = this.hooks.now();
    if (newEvent) this.dtmfEventTs = this.nextTimestamp(now, tick);
    this.lastTick = tick;
    const buffer = this.txBuffers[this.txIndex]!;
    this.txIndex = (this.txIndex + 1) % TX_BUFFERS;
    this.seq = (this.seq + 1) & 0xffff;
    writeRtpHeader(buffer, marker, pt, this.seq, this.dtmfEventTs, this.ssrc);
    payload.copy(buffer, 12);
    // Audio after the digit continues the timeline where the digit ends.
    this.ts = (this.dtmfEventTs + duration - (this.settings!.rtpClockRate * FRAME_MS) / 1000) >>> 0;
    this.relaySource = null;
    this.relaySsrc = -1;
    this.lastSendAt = now;
    this.transmit(buffer, 12 + payload.length);
  }

  queueDtmf(sender: DtmfSender): void {
    this.dtmfOut.push(sender);
    this.hooks.topologyChanged();
  }

  /** Once a second: the silent-peer check and RTCP reports. */
  housekeeping(now: number, rtpTimeoutMs: number): void {
    const settings = this.settings;
    if (!settings) return;
    const silentMs = now - this.lastRxAt;
    if (
      settings.direction === 'sendrecv' &&
      !this.timeoutReported &&
      rtpTimeoutMs > 0 &&
      silentMs >= rtpTimeoutMs
    ) {
      this.timeoutReported = true;
      this.hooks.emit({ type: 'rtp-timeout', endpoint: this.id, silentMs: Math.round(silentMs) });
    }
    this.rtcp.tick(now, this.remote, this.rtcpSender());
  }

  private rtcpSender(): RtcpSender {
    return {
      ssrc: this.ssrc,
      sent:
        this.txPackets > 0 ? { packets: this.txPackets, octets: this.txOctets, rtpTimestamp: this.ts } : null,
      stats: this.stats,
    };
  }

  statsNow(): RtpStats {
    return {
      txCount: this.txPackets,
      rxCount: this.stats.packets,
      txOctets: this.txOctets,
      rxOctets: this.stats.octets,
      rxLost: this.stats.lost,
      rxJitter: this.stats.jitter / (this.settings?.rtpClockRate ?? 8000),
      localSsrc: this.ssrc,
      remoteSsrc: this.stats.ssrc,
    };
  }

  /** Stops everything and says goodbye over RTCP; the engine frees the sockets after. */
  async shutdown(): Promise<RtpStats> {
    for (const sender of this.dtmfOut.splice(0)) sender.cancel();
    this.sources.clear();
    const stats = this.statsNow();
    this.sockets.rtp.removeAllListeners('message');
    this.rtcp.stop();
    try {
      await this.rtcp.send(this.settings ? this.remote : null, this.rtcpSender(), true);
    } catch {
      // The socket may already be gone; a BYE is a courtesy.
    }
    return stats;
  }
}
