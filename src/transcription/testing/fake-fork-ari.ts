// A fake of our own ForkAri interface for unit tests of the code above it (sessions, speech
// menus): it records what was asked, and once a fork's channels are bridged it sends the audio
// given for the spied channel as real RTP to the fork's UDP socket.
import { createSocket } from 'node:dgram';
import { encodeL16, encodeUlaw, serializeRtp } from '../../media/index.js';
import type { ForkAri } from '../fork-ari.js';
import type { ForkFormat } from '../rtp-receiver.js';

interface Fork {
  target: string;
  snoop: string;
  media?: string;
  host?: string;
  format?: ForkFormat;
}

export class FakeForkAri implements ForkAri {
  readonly calls: string[] = [];
  readonly live = new Set<string>();
  readonly bridges = new Set<string>();
  /** Audio each channel "says", at 16 kHz (sent as ulaw at 8 kHz or slin16). */
  readonly audio = new Map<string, Int16Array>();
  wideband = new Set<string>();
  refuse = new Set<string>();
  private readonly forks: Fork[] = [];
  private readonly media = new Map<string, { host: string; format: ForkFormat }>();
  private readonly gone = new Map<string, () => void>();
  private n = 0;
  private readonly socket = createSocket('udp4');
  private sending: Promise<void>[] = [];

  snoop(channelId: string): Promise<string> {
    this.calls.push(`snoop ${channelId}`);
    if (this.refuse.has(`snoop ${channelId}`)) return Promise.reject(new Error('404 Channel not found'));
    const id = `snoop-${++this.n}`;
    this.live.add(id);
    this.forks.push({ target: channelId, snoop: id });
    return Promise.resolve(id);
  }

  externalMedia(host: string, format: ForkFormat): Promise<string> {
    this.calls.push(`externalMedia ${format}`);
    if (this.refuse.has(`externalMedia ${format}`))
      return Promise.reject(new Error('400 format not supported'));
    const id = `media-${++this.n}`;
    this.live.add(id);
    this.media.set(id, { host, format });
    return Promise.resolve(id);
  }

  createBridge(): Promise<string> {
    const id = `bridge-${++this.n}`;
    this.bridges.add(id);
    return Promise.resolve(id);
  }

  /** A fork's channels are bridged as [snoop, externalMedia]: that pairs them. */
  addToBridge(_bridgeId: string, channelIds: string[]): Promise<void> {
    const fork = this.forks.find((f) => f.snoop === channelIds[0]);
    const media = this.media.get(channelIds[1] ?? '');
    if (fork && media) Object.assign(fork, { media: channelIds[1], ...media });
    const audio = fork && this.audio.get(fork.target);
    if (fork?.host && audio) this.sending.push(this.send(fork, audio));
    return Promise.resolve();
  }

  hangup(channelId: string): Promise<void> {
    this.live.delete(channelId);
    return Promise.resolve();
  }

  destroyBridge(bridgeId: string): Promise<void> {
    this.bridges.delete(bridgeId);
    return Promise.resolve();
  }

  isWideband(channelId: string): Promise<boolean | null> {
    return Promise.resolve(this.wideband.has(channelId));
  }

  onGone(channelId: string, listener: () => void): () => void {
    this.gone.set(channelId, listener);
    return () => this.gone.delete(channelId);
  }

  /** The party of `target` hangs up: its snoop goes. */
  hangUpParty(target: string): void {
    const fork = this.forks.find((f) => f.target === target);
    if (!fork) return;
    this.live.delete(fork.snoop);
    this.gone.get(fork.snoop)?.();
  }

  /** Resolves when every fork has sent all its audio. */
  async sent(): Promise<void> {
    await Promise.all(this.sending);
  }

  private async send(fork: Fork, audio16k: Int16Array): Promise<void> {
    const [address, port] = [fork.host!.split(':')[0]!, Number(fork.host!.split(':')[1])];
    const wide = fork.format === 'slin16';
    const frame = wide ? 320 : 160;
    const pcm = wide ? audio16k : audio16k.filter((_, i) => i % 2 === 0);
    let seq = 0;
    for (let at = 0; at + frame <= pcm.length; at += frame) {
      const samples = pcm.subarray(at, at + frame);
      const payload = new Uint8Array(wide ? frame * 2 : frame);
      if (wide) encodeL16(samples, payload);
      else encodeUlaw(samples, payload);
      const packet = serializeRtp({
        marker: seq === 0,
        payloadType: wide ? 118 : 0,
        sequenceNumber: seq,
        timestamp: seq * frame,
        ssrc: 42,
        csrcs: [],
        extension: null,
        payload,
        paddingSize: 0,
      });
      seq++;
      if (!this.live.has(fork.media!)) return;
      await new Promise<void>((resolve) => this.socket.send(packet, port, address, () => resolve()));
      // A little faster than real time, in order, without flooding the socket buffer.
      if (seq % 5 === 0) await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}
