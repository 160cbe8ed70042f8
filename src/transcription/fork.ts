// One party's audio fork: a snoop channel (spy `in`: what that party says) and an externalMedia
// channel sending it as RTP to our UDP socket, joined in a mixing bridge of their own. slin16 is
// asked for as configured (every leg, or wideband legs only) when the server has it, else ulaw. Stopping hangs up both
// channels, destroys the bridge and closes the socket, whatever was made before a failure.
import type { Logger } from '../logger.js';
import { TranscriptionError, messageOf } from './errors.js';
import type { ForkAri } from './fork-ari.js';
import { RtpReceiver, type ForkFormat } from './rtp-receiver.js';

export interface ForkSettings {
  bindAddress: string;
  /** The address the media server sends to (host part of external_host). */
  advertiseAddress: string;
  portMin: number;
  portMax: number;
  /** 16 kHz forks: on every leg, on legs the server says are wideband, or never. */
  wideband: 'always' | 'auto' | 'never';
}

export interface ForkTarget {
  callId: string;
  party: string;
  channelId: string;
}

export class AudioFork {
  private stopped: Promise<void> | null = null;
  /** The party's own leg, as far as the server says (the fork may be 16 kHz either way). */
  leg: 'wideband' | 'narrowband' | 'unknown' = 'unknown';
  private readonly offGone: () => void;

  private constructor(
    private readonly ari: ForkAri,
    readonly receiver: RtpReceiver,
    readonly format: ForkFormat,
    private readonly channels: string[],
    private readonly bridgeId: string,
    private readonly target: ForkTarget,
    private readonly log: Logger,
    onGone: () => void,
  ) {
    // The snoop goes when the party's channel goes (hang-up): the fork is over.
    this.offGone = ari.onGone(channels[0]!, onGone);
  }

  /** Makes the fork; on failure undoes what it made and throws a TranscriptionError. */
  static async start(
    ari: ForkAri,
    target: ForkTarget,
    settings: ForkSettings,
    log: Logger,
    onGone: () => void = () => undefined,
  ): Promise<AudioFork> {
    const made: string[] = [];
    let bridgeId: string | null = null;
    let receiver: RtpReceiver | null = null;
    try {
      // With `always` the leg's codec is only recorded (fork.leg): asked alongside, not waited for.
      const legAsked =
        settings.wideband === 'never' ? Promise.resolve(null) : ari.isWideband(target.channelId);
      legAsked.catch(() => undefined); // awaited below; a failure there fails the fork
      const wideband =
        settings.wideband === 'always' || (settings.wideband === 'auto' && (await legAsked) === true);
      let format: ForkFormat = wideband ? 'slin16' : 'ulaw';
      const opened = await RtpReceiver.open(settings.bindAddress, settings.portMin, settings.portMax, format);
      receiver = opened;
      const host = `${settings.advertiseAddress}:${opened.port}`;
      const externalMedia = async (): Promise<string> => {
        try {
          return await ari.externalMedia(host, format);
        } catch (err) {
          if (format === 'ulaw') throw err;
          log.info(
            { err: messageOf(err), call: target.callId },
            'no slin16 external media here; forking ulaw',
          );
          format = 'ulaw';
          opened.format = format;
          return ari.externalMedia(host, format);
        }
      };
      // The snoop carries audio only once it is bridged: its three parts are made at once, so the
      // party's first words after connect are not spent on round trips one after another.
      const [snoop, media, bridge] = await Promise.allSettled([
        ari.snoop(target.channelId, [target.callId, target.party]),
        externalMedia(),
        ari.createBridge(`transcription-${target.callId}-${target.party}`),
      ]);
      if (snoop.status === 'fulfilled') made.push(snoop.value);
      if (media.status === 'fulfilled') made.push(media.value);
      if (bridge.status === 'fulfilled') bridgeId = bridge.value;
      for (const part of [snoop, media]) if (part.status === 'rejected') throw part.reason;
      if (bridge.status === 'rejected') throw bridge.reason;
      await ari.addToBridge(bridge.value, made);
      const legWideband = await legAsked;
      const fork = new AudioFork(ari, opened, format, made, bridge.value, target, log, onGone);
      fork.leg = legWideband === null ? 'unknown' : legWideband ? 'wideband' : 'narrowband';
      return fork;
    } catch (err) {
      await Promise.allSettled([
        ...made.map((id) => ari.hangup(id)),
        ...(bridgeId ? [ari.destroyBridge(bridgeId)] : []),
        receiver?.close(),
      ]);
      if (err instanceof TranscriptionError) throw err;
      throw new TranscriptionError(
        'TRANSCRIPTION_FORK_FAILED',
        `${target.party} of call ${target.callId}`,
        messageOf(err),
      );
    }
  }

  /** Hangs up the fork's channels, destroys its bridge, closes its socket. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.offGone();
      const results = await Promise.allSettled([
        ...this.channels.map((id) => this.ari.hangup(id)),
        this.ari.destroyBridge(this.bridgeId),
      ]);
      for (const r of results)
        if (r.status === 'rejected')
          this.log.warn(
            { err: messageOf(r.reason), call: this.target.callId },
            'cleaning up an audio fork failed',
          );
      await this.receiver.close();
    })();
    return this.stopped;
  }
}
