// The ARI calls an audio fork makes, behind a narrow interface (snoop, externalMedia, a bridge,
// hang up), so the fork's logic is tested on a fake of this interface and the real thing runs
// against the embedded media server and Asterisk alike. Channels the fork creates are claimed by
// id before they are requested: Asterisk gives externalMedia channels no appArgs.
import { randomUUID } from 'node:crypto';
import type { AriConnection, Channel } from '../ari/index.js';
import { appArgs } from '../ari/index.js';
import { TranscriptionError, messageOf } from './errors.js';
import type { ForkFormat } from './rtp-receiver.js';

export const TRANSCRIPTION_ROUTE = 'transcription';

export interface ForkAri {
  /** A snoop channel (spy `in`) on `channelId`; resolves once it has entered the application. */
  snoop(channelId: string, args: string[]): Promise<string>;
  /** An externalMedia channel sending RTP to `host` ("ip:port"); resolves once in the application. */
  externalMedia(host: string, format: ForkFormat): Promise<string>;
  createBridge(name: string): Promise<string>;
  addToBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  /** Hangs up; a channel already gone is fine. */
  hangup(channelId: string): Promise<void>;
  /** Destroys; a bridge already gone is fine. */
  destroyBridge(bridgeId: string): Promise<void>;
  /** Whether the channel's audio is wideband (G.722, 16 kHz linear); null when the server does not say. */
  isWideband(channelId: string): Promise<boolean | null>;
  /** Calls `listener` once when the channel leaves the application or is destroyed. */
  onGone(channelId: string, listener: () => void): () => void;
}

/** How long a channel the fork created may take to enter the application. */
const ENTER_TIMEOUT_MS = 5000;

function isNotFound(err: unknown): boolean {
  return /404|not found/i.test(messageOf(err));
}

export class AriForkAdapter implements ForkAri {
  private readonly gone = new Map<string, Set<() => void>>();

  constructor(private readonly ari: AriConnection) {
    const fire = (channel: Channel | undefined) => {
      const listeners = channel && this.gone.get(channel.id);
      if (!listeners) return;
      this.gone.delete(channel.id);
      for (const l of listeners) l();
    };
    ari.client.on('StasisEnd', (_event, channel) => fire(channel));
    ari.client.on('ChannelDestroyed', (_event, channel) => fire(channel));
    // A transcription channel nobody claimed (its fork gave up waiting for it) is hung up.
    ari.route(TRANSCRIPTION_ROUTE, (_event, channel) => {
      channel.hangup().catch(() => undefined);
    });
  }

  private enter(channelId: string, request: () => Promise<unknown>, what: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        unclaim();
        reject(
          new TranscriptionError(
            'TRANSCRIPTION_FORK_FAILED',
            what,
            `the channel did not enter the application`,
          ),
        );
        this.hangup(channelId).catch(() => undefined);
      }, ENTER_TIMEOUT_MS);
      const unclaim = this.ari.claim(channelId, () => {
        clearTimeout(timer);
        resolve(channelId);
      });
      request().catch((err: unknown) => {
        clearTimeout(timer);
        unclaim();
        reject(new TranscriptionError('TRANSCRIPTION_FORK_FAILED', what, messageOf(err)));
      });
    });
  }

  snoop(channelId: string, args: string[]): Promise<string> {
    const snoopId = `transcription-snoop-${randomUUID()}`;
    return this.enter(
      snoopId,
      () =>
        this.ari.client.channels.snoopChannelWithId({
          channelId,
          snoopId,
          spy: 'in',
          app: this.ari.app,
          appArgs: appArgs(TRANSCRIPTION_ROUTE, ...args),
        }),
      `channel ${channelId} (snoop)`,
    );
  }

  externalMedia(host: string, format: ForkFormat): Promise<string> {
    const id = `transcription-media-${randomUUID()}`;
    return this.enter(
      id,
      () =>
        this.ari.client.channels.externalMedia({
          channelId: id,
          app: this.ari.app,
          external_host: host,
          format,
          encapsulation: 'rtp',
          transport: 'udp',
          direction: 'both',
        }),
      `${host} (externalMedia ${format})`,
    );
  }

  async createBridge(name: string): Promise<string> {
    const bridgeId = `transcription-${randomUUID()}`;
    await this.ari.client.bridges.createWithId({ bridgeId, type: 'mixing', name });
    return bridgeId;
  }

  async addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.ari.client.bridges.addChannel({ bridgeId, channel: channelIds.join(',') });
  }

  async hangup(channelId: string): Promise<void> {
    await this.ari.client.channels.hangup({ channelId }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    await this.ari.client.bridges.destroy({ bridgeId }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  async isWideband(channelId: string): Promise<boolean | null> {
    // Asterisk's CHANNEL(audionativeformat) names the codec, e.g. "(g722)" or "(ulaw)".
    const variable = await this.ari.client.channels
      .getChannelVar({ channelId, variable: 'CHANNEL(audionativeformat)' })
      .catch(() => null);
    if (!variable?.value) return null;
    return /g722|slin16|slin24|slin32|slin44|slin48|opus|siren/i.test(variable.value);
  }

  onGone(channelId: string, listener: () => void): () => void {
    let listeners = this.gone.get(channelId);
    if (!listeners) this.gone.set(channelId, (listeners = new Set()));
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
}
