// The media side of bench:asr: a ForkAri that makes no ARI calls but remembers where each fork's
// RTP must go, and a sender that plays PCM there as a call would (PCMU at 8 kHz, L16 at 16 kHz,
// 20 ms packets), either at real-time pace or as fast as the receiver takes it.
import { createSocket, type Socket } from 'node:dgram';
import { encodeL16, encodeUlaw, serializeRtp } from '../../src/media/index.js';
import type { ForkAri } from '../../src/transcription/fork-ari.js';
import type { ForkFormat } from '../../src/transcription/rtp-receiver.js';

export class LoopbackForkAri implements ForkAri {
  private readonly pendingSnoops: string[] = [];
  private readonly hosts = new Map<string, { host: string; format: ForkFormat }>();
  private readonly waiters = new Map<string, (v: { host: string; format: ForkFormat }) => void>();
  private n = 0;
  readonly wideband = new Set<string>();

  snoop(channelId: string): Promise<string> {
    this.pendingSnoops.push(channelId);
    return Promise.resolve(`snoop-${++this.n}`);
  }
  externalMedia(host: string, format: ForkFormat): Promise<string> {
    const channel = this.pendingSnoops.shift()!;
    const target = { host, format };
    this.hosts.set(channel, target);
    this.waiters.get(channel)?.(target);
    return Promise.resolve(`media-${++this.n}`);
  }
  createBridge(): Promise<string> {
    return Promise.resolve(`bridge-${++this.n}`);
  }
  addToBridge(): Promise<void> {
    return Promise.resolve();
  }
  hangup(): Promise<void> {
    return Promise.resolve();
  }
  destroyBridge(): Promise<void> {
    return Promise.resolve();
  }
  isWideband(channelId: string): Promise<boolean> {
    return Promise.resolve(this.wideband.has(channelId));
  }
  onGone(): () => void {
    return () => undefined;
  }

  /** Where the fork of `channelId` listens, once the session has made it. */
  target(channelId: string): Promise<{ host: string; format: ForkFormat }> {
    const known = this.hosts.get(channelId);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.waiters.set(channelId, resolve));
  }
}

/** One RTP stream to a fork. */
export class RtpSender {
  private readonly socket: Socket = createSocket('udp4');
  private seq = 0;
  private timestamp = 0;
  private readonly frame: number;
  private readonly payload: Uint8Array;
  private readonly address: string;
  private readonly port: number;

  constructor(
    target: { host: string; format: ForkFormat },
    readonly rate: 8000 | 16000,
  ) {
    [this.address, this.port] = [target.host.split(':')[0]!, Number(target.host.split(':')[1])];
    this.frame = rate / 50;
    this.payload = new Uint8Array(rate === 16000 ? this.frame * 2 : this.frame);
  }

  /** Sends one 20 ms frame (`samples` shorter than a frame are padded with silence). */
  send(samples: Int16Array): Promise<void> {
    const frame = new Int16Array(this.frame);
    frame.set(samples.subarray(0, this.frame));
    if (this.rate === 16000) encodeL16(frame, this.payload);
    else encodeUlaw(frame, this.payload);
    const packet = serializeRtp({
      marker: this.seq === 0,
      payloadType: this.rate === 16000 ? 118 : 0,
      sequenceNumber: this.seq & 0xffff,
      timestamp: this.timestamp >>> 0,
      ssrc: 0x5eed,
      csrcs: [],
      extension: null,
      payload: this.payload,
      paddingSize: 0,
    });
    this.seq++;
    this.timestamp += this.frame;
    return new Promise((resolve) => this.socket.send(packet, this.port, this.address, () => resolve()));
  }

  get frameSamples(): number {
    return this.frame;
  }

  close(): void {
    this.socket.close();
  }
}

/** Index just past the last sample louder than `threshold` (the end of speech in a clip). */
export function speechEnd(pcm: Int16Array, threshold = 500): number {
  for (let i = pcm.length - 1; i >= 0; i--) if (Math.abs(pcm[i]!) > threshold) return i + 1;
  return 0;
}
