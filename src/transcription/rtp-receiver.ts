// The UDP socket an externalMedia channel sends one party's audio to: RTP in, 16-bit PCM out, in
// order, with the gaps of lost packets and silence suppression filled with silence so the audio's
// clock keeps step with the call's. Packets from anyone but the first sender are ignored.
//
// RTP parsing and G.711/G.722/L16 decoding are the media engine's (src/media/rtp, src/media/codecs,
// through src/media/index.ts).
import { createSocket, type Socket } from 'node:dgram';
import { createDecoder, type CodecName, type PayloadDecoder } from '../media/index.js';
import { parseRtp, type RtpPacket } from '../media/index.js';
import { TranscriptionError } from './errors.js';
import type { SampleRate } from './provider.js';
import { ReorderBuffer } from './reorder.js';

/** What the externalMedia channel was asked to send (its `format`). */
export type ForkFormat = 'ulaw' | 'alaw' | 'slin16' | 'g722';

export const FORMAT_RATE: Record<ForkFormat, SampleRate> = {
  ulaw: 8000,
  alaw: 8000,
  slin16: 16000,
  g722: 16000,
};

/** Codec of a payload type: static ones by RFC 3551, dynamic ones as the requested format. */
function codecOf(payloadType: number, format: ForkFormat): CodecName | null {
  if (payloadType === 0) return 'PCMU';
  if (payloadType === 8) return 'PCMA';
  if (payloadType === 9) return 'G722';
  if (payloadType >= 96 && payloadType <= 127 && format === 'slin16') return 'L16';
  return null;
}

/** Longest gap filled with silence; a longer timestamp jump is a discontinuity, not a pause. */
const MAX_FILL_MS = 60_000;

export interface RtpReceiverStats {
  packets: number;
  lost: number;
  reordered: number;
  late: number;
  /** Not RTP, from another source, or a payload type we do not decode (e.g. telephone-event). */
  ignored: number;
  /** Milliseconds of silence put in for lost packets and suppressed silence. */
  filledMs: number;
}

export type AudioListener = (pcm: Int16Array, sampleRate: SampleRate) => void;

interface Source {
  address: string;
  port: number;
  ssrc: number;
}

export class RtpReceiver {
  private source: Source | null = null;
  private reorder = new ReorderBuffer<RtpPacket>();
  private decoder: PayloadDecoder | null = null;
  /** RTP timestamp just after the last packet passed on, in the RTP clock. */
  private nextTimestamp: number | null = null;
  private listener: AudioListener = () => undefined;
  private firstPacketAt: number | null = null;
  private closed = false;
  private readonly counts = { packets: 0, ignored: 0, filledMs: 0 };

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    readonly port: number,
    /** What was asked of the sender; decides how dynamic payload types decode. */
    public format: ForkFormat,
  ) {
    socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    // A socket error (ICMP unreachable echoes and the like) must not take the process down.
    socket.on('error', () => undefined);
  }

  /** Binds a socket on a free port of [portMin, portMax] (or any port when both are 0). */
  static async open(
    bindAddress: string,
    portMin: number,
    portMax: number,
    format: ForkFormat,
  ): Promise<RtpReceiver> {
    const span = portMax - portMin + 1;
    const tries = portMin === 0 ? 1 : Math.min(span, 64);
    const start = Math.floor(Math.random() * Math.max(1, span));
    let lastError: unknown;
    for (let i = 0; i < tries; i++) {
      const port = portMin === 0 ? 0 : portMin + ((start + i * 7919) % span);
      const socket = createSocket({ type: bindAddress.includes(':') ? 'udp6' : 'udp4' });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind({ address: bindAddress, port, exclusive: true }, () => {
            socket.off('error', reject);
            resolve();
          });
        });
        return new RtpReceiver(socket, bindAddress, socket.address().port, format);
      } catch (err) {
        lastError = err;
        socket.close();
      }
    }
    throw new TranscriptionError(
      'TRANSCRIPTION_NO_PORT',
      `${bindAddress} ${portMin}-${portMax}: ${(lastError as Error)?.message ?? 'all taken'} (transcription.rtpPortMin/Max)`,
    );
  }

  /** Audio as it comes, at the rate of what arrives (8 kHz G.711, 16 kHz G.722/L16). */
  onAudio(listener: AudioListener): void {
    this.listener = listener;
  }

  /** Wall-clock time (ms since epoch) of the first packet, or null before any. */
  get startedAt(): number | null {
    return this.firstPacketAt;
  }

  get stats(): RtpReceiverStats {
    return { ...this.counts, ...this.reorder.stats };
  }

  private onDatagram(msg: Buffer, rinfo: { address: string; port: number }): void {
    if (this.closed) return;
    let packet: RtpPacket;
    try {
      packet = parseRtp(msg);
    } catch {
      this.counts.ignored++;
      return;
    }
    if (!this.source) this.source = { address: rinfo.address, port: rinfo.port, ssrc: packet.ssrc };
    if (rinfo.address !== this.source.address || rinfo.port !== this.source.port) {
      this.counts.ignored++;
      return;
    }
    if (packet.ssrc !== this.source.ssrc) {
      // The sender restarted its stream: what waits for the old one goes out, timing starts over.
      for (const p of this.reorder.flush()) this.play(p);
      this.reorder = new ReorderBuffer<RtpPacket>();
      this.source.ssrc = packet.ssrc;
      this.nextTimestamp = null;
    }
    this.counts.packets++;
    this.firstPacketAt ??= Date.now();
    // The payload is a view into msg, which dgram does not reuse: safe to hold while reordering.
    for (const p of this.reorder.push(packet.sequenceNumber, packet)) this.play(p);
  }

  private play(packet: RtpPacket): void {
    const codec = codecOf(packet.payloadType, this.format);
    if (!codec) {
      this.counts.ignored++;
      return;
    }
    if (this.decoder?.codec !== codec) this.decoder = createDecoder(codec, FORMAT_RATE[this.format]);
    const rate = this.decoder.sampleRate as SampleRate;
    // G.722 carries 16 kHz audio on an 8 kHz RTP clock (RFC 3551).
    const clockRate = codec === 'G722' ? 8000 : rate;
    const samplesPerTick = rate / clockRate;
    const payload = packet.payload;
    const samples =
      codec === 'L16' ? payload.length >> 1 : codec === 'G722' ? payload.length * 2 : payload.length;
    if (this.nextTimestamp !== null) {
      const gap = (packet.timestamp - this.nextTimestamp) >>> 0;
      const gapMs = (gap * 1000) / clockRate;
      if (gap > 0 && gap < 0x80000000 && gapMs <= MAX_FILL_MS) {
        this.listener(new Int16Array(Math.round(gap * samplesPerTick)), rate);
        this.counts.filledMs += Math.round(gapMs);
      }
    }
    const pcm = new Int16Array(samples);
    this.decoder.decode(payload, 0, payload.length, pcm);
    this.nextTimestamp = (packet.timestamp + samples / samplesPerTick) >>> 0;
    this.listener(pcm, rate);
  }

  /** Passes on what is still waiting for a missing packet, then closes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const p of this.reorder.flush()) this.play(p);
    this.closed = true;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
