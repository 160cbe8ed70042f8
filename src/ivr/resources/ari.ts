// The IVR's resource interfaces (contract.ts) over ari-client. One set of listeners on the
// client dispatches events by id (channel, playback, recording name) to the IVR's objects, so a
// call costs map entries, not listeners, and everything registered for a call is removed when
// its channel goes. Playback ids and channel ids are chosen here before the request is sent, so
// an event that arrives before the HTTP answer (PlaybackStarted often does) is not lost.
import { randomUUID } from 'node:crypto';
import type { AriClient, Channel } from '../../ari/index.js';
import { appArgs } from '../../ari/index.js';
import type { Logger } from '../../logger.js';
import { IvrError } from '../errors.js';
import type {
  Bridges,
  CallChannel,
  ChannelGone,
  DialledLeg,
  Dialer,
  MixingBridge,
  Playback,
  PlaybackEnd,
  RecordOptions,
  Recording,
  RecordingResult,
} from './contract.js';
import { deferred } from '../../deferred.js';

/** args[0] of the outbound legs the IVR dials for transfers. */
export const TRANSFER_ROUTE = 'ivr-transfer';

/**
 * How long a recording may take to be reported finished after its channel went, before the
 * stored recordings are asked whether it was kept.
 */
const RECORDING_AFTER_HANGUP_MS = 2_000;

type Listener = (...args: never[]) => void;

interface PlaybackEntry {
  channelId: string;
  started: () => void;
  finished: (state: PlaybackEnd) => void;
}

interface RecordingEntry {
  channelId: string;
  finished: (result: Omit<RecordingResult, 'name'>) => void;
}

interface LegEntry {
  answered: (channel: Channel) => void;
  failed: (reason: string) => void;
  gone: () => void;
}

function playbackEnd(state: string | undefined): PlaybackEnd {
  return state === 'failed' ? 'failed' : state === 'cancelled' ? 'cancelled' : 'done';
}

export class AriResources implements Dialer, Bridges {
  private readonly channels = new Map<string, AriCallChannel>();
  private readonly playbacks = new Map<string, PlaybackEntry>();
  private readonly recordings = new Map<string, RecordingEntry>();
  private readonly legs = new Map<string, LegEntry>();
  private readonly listeners: [string, Listener][] = [];

  constructor(
    readonly client: AriClient,
    private readonly app: string,
    private readonly log: Logger,
  ) {
    this.listen('ChannelDtmfReceived', (e: { digit: string }, ch: Channel) =>
      this.channels.get(ch.id)?.dtmf(e.digit),
    );
    this.listen('PlaybackStarted', (e: { playback: { id: string } }) =>
      this.playbacks.get(e.playback.id)?.started(),
    );
    this.listen('PlaybackFinished', (e: { playback: { id: string; state?: string } }) => {
      const entry = this.playbacks.get(e.playback.id);
      this.playbacks.delete(e.playback.id);
      entry?.finished(playbackEnd(e.playback.state));
    });
    this.listen(
      'RecordingFinished',
      (e: { recording: { name: string; format: string; duration?: number } }) =>
        this.recordingEnded(e.recording.name, {
          format: e.recording.format,
          state: 'done',
          durationSeconds: e.recording.duration ?? null,
        }),
    );
    this.listen('RecordingFailed', (e: { recording: { name: string; format: string } }) =>
      this.recordingEnded(e.recording.name, {
        format: e.recording.format,
        state: 'failed',
        durationSeconds: null,
      }),
    );
    this.listen('ChannelHangupRequest', (e: { cause?: number }, ch: Channel) =>
      this.gone(ch.id, e.cause ?? null),
    );
    this.listen('StasisEnd', (_e: unknown, ch: Channel) => this.gone(ch.id, null));
    this.listen('ChannelDestroyed', (e: { cause?: number; cause_txt?: string }, ch: Channel) => {
      const leg = this.legs.get(ch.id);
      if (leg) leg.failed(e.cause_txt ?? `cause ${e.cause ?? '?'}`);
      this.gone(ch.id, e.cause ?? null);
    });
  }

  private listen(event: string, listener: Listener): void {
    (this.client as unknown as { on(e: string, l: Listener): void }).on(event, listener);
    this.listeners.push([event, listener]);
  }

  /** Removes every listener this object put on the client. */
  close(): void {
    const client = this.client as unknown as { removeListener(e: string, l: Listener): void };
    for (const [event, listener] of this.listeners) client.removeListener(event, listener);
    this.listeners.length = 0;
  }

  /** The caller's channel (entered the app with StasisStart) as the IVR sees it. */
  callChannel(channel: Channel, dialled: string): CallChannel {
    const call = new AriCallChannel(this, channel, dialled);
    this.channels.set(channel.id, call);
    return call;
  }

  /** Open entries, for leak checks: all zero once every call is over. */
  get open(): { channels: number; playbacks: number; recordings: number; legs: number } {
    return {
      channels: this.channels.size,
      playbacks: this.playbacks.size,
      recordings: this.recordings.size,
      legs: this.legs.size,
    };
  }

  private gone(channelId: string, cause: number | null): void {
    const leg = this.legs.get(channelId);
    if (leg) leg.gone();
    const call = this.channels.get(channelId);
    if (!call) return;
    this.channels.delete(channelId);
    call.left(cause);
    // What still plays on a channel that is gone will never report; a recording usually does
    // (RecordingFinished follows the hangup), so it gets a while before it is given up.
    for (const [id, entry] of this.playbacks) {
      if (entry.channelId !== channelId) continue;
      this.playbacks.delete(id);
      entry.finished('failed');
    }
    if (![...this.recordings.values()].some((r) => r.channelId === channelId)) return;
    const timer = setTimeout(() => {
      for (const [name, entry] of this.recordings) {
        if (entry.channelId === channelId) void this.askStored(name);
      }
    }, RECORDING_AFTER_HANGUP_MS);
    timer.unref();
  }

  /**
   * A recording whose channel hung up without RecordingFinished reaching us (the event is the
   * channel's, and the channel is gone): what the server stored is what the caller said.
   */
  private async askStored(name: string): Promise<void> {
    try {
      const stored = await this.client.recordings.getStored({ recordingName: name });
      this.recordingEnded(name, { format: stored.format, state: 'done', durationSeconds: null });
    } catch {
      this.recordingEnded(name, { format: 'wav', state: 'failed', durationSeconds: null });
    }
  }

  private recordingEnded(name: string, result: Omit<RecordingResult, 'name'>): void {
    const entry = this.recordings.get(name);
    this.log.debug({ recording: name, ...result, known: Boolean(entry) }, 'recording ended');
    this.recordings.delete(name);
    entry?.finished(result);
  }

  async play(channelId: string, media: string, lang?: string): Promise<Playback> {
    const id = randomUUID();
    const started = deferred<void>();
    const finished = deferred<PlaybackEnd>();
    this.playbacks.set(id, { channelId, started: started.resolve, finished: finished.resolve });
    try {
      await this.client.channels.play({ channelId, media, playbackId: id, ...(lang ? { lang } : {}) });
    } catch (err) {
      this.playbacks.delete(id);
      throw err;
    }
    void finished.promise.then(() => started.resolve());
    const stop = async () => {
      const entry = this.playbacks.get(id);
      if (!entry) return;
      this.playbacks.delete(id);
      entry.finished('cancelled');
      // 404 when it ended meanwhile: nothing to stop.
      await this.client.playbacks.stop({ playbackId: id }).catch(() => undefined);
    };
    return { id, started: started.promise, finished: finished.promise, stop };
  }

  async record(channelId: string, options: RecordOptions): Promise<Recording> {
    const finished = deferred<RecordingResult>();
    this.recordings.set(options.name, {
      channelId,
      finished: (r) => finished.resolve({ name: options.name, ...r }),
    });
    try {
      await this.client.channels.record({
        channelId,
        name: options.name,
        format: options.format,
        ifExists: 'overwrite',
        ...(options.maxDurationSeconds ? { maxDurationSeconds: options.maxDurationSeconds } : {}),
        ...(options.maxSilenceSeconds ? { maxSilenceSeconds: options.maxSilenceSeconds } : {}),
        ...(options.beep !== undefined ? { beep: options.beep } : {}),
        ...(options.terminateOn ? { terminateOn: options.terminateOn } : {}),
      });
    } catch (err) {
      this.recordings.delete(options.name);
      throw err;
    }
    const stop = async () => {
      if (!this.recordings.has(options.name)) return;
      // RecordingFinished follows with the duration; a 404 means it already ended.
      await this.client.recordings.stop({ recordingName: options.name }).catch(() => undefined);
    };
    return { name: options.name, finished: finished.promise, stop };
  }

  /** A transfer leg entered the application (it answered). */
  legEntered(channel: Channel): void {
    const leg = this.legs.get(channel.id);
    if (!leg) {
      this.log.warn({ channel: channel.id }, 'unknown transfer leg entered the application; hanging up');
      this.client.channels.hangup({ channelId: channel.id }).catch(() => undefined);
      return;
    }
    leg.answered(channel);
  }

  dial(
    endpoint: string,
    options: { callerId: string; timeoutSeconds: number; signal?: AbortSignal },
  ): Promise<DialledLeg> {
    const id = `ivr-leg-${randomUUID()}`;
    const controller = new AbortController();
    const hangup = () =>
      this.client.channels.hangup({ channelId: id }).then(
        () => undefined,
        () => undefined,
      );
    return new Promise<DialledLeg>((resolve, reject) => {
      let answered = false;
      const timer = setTimeout(
        () => fail(`no answer within ${options.timeoutSeconds} s`),
        (options.timeoutSeconds + 5) * 1000,
      );
      const onAbort = () => {
        if (!answered) void hangup();
        fail('stopped', 'IVR_VERB_KILLED');
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (reason: string, code: 'IVR_DIAL_FAILED' | 'IVR_VERB_KILLED' = 'IVR_DIAL_FAILED') => {
        if (answered) return;
        settle();
        this.legs.delete(id);
        reject(new IvrError(code, `${endpoint}: ${reason}`));
      };
      this.legs.set(id, {
        answered: () => {
          if (answered) return;
          answered = true;
          settle();
          resolve({ id, gone: controller.signal, hangup });
        },
        failed: (reason) => fail(reason),
        gone: () => {
          if (!answered) return fail('hung up before answering');
          this.legs.delete(id);
          controller.abort();
        },
      });
      this.client.channels
        .originate({
          endpoint,
          app: this.app,
          appArgs: appArgs(TRANSFER_ROUTE, id),
          callerId: options.callerId,
          timeout: Math.ceil(options.timeoutSeconds),
          channelId: id,
        })
        .catch((err: unknown) => fail((err as Error).message));
    });
  }

  async createMixing(name: string): Promise<MixingBridge> {
    const bridge = await this.client.bridges.create({ type: 'mixing', name });
    return {
      id: bridge.id,
      addChannels: async (ids) => {
        await this.client.bridges.addChannel({ bridgeId: bridge.id, channel: ids.join(',') });
      },
      destroy: async () => {
        await this.client.bridges.destroy({ bridgeId: bridge.id }).catch(() => undefined);
      },
    };
  }
}

class AriCallChannel implements CallChannel {
  readonly id: string;
  readonly callerNumber: string;
  readonly callerName: string;
  private readonly controller = new AbortController();
  private readonly dtmfListeners = new Set<(digit: string) => void>();
  /** Keys pressed before anyone listens (the call record is still being written): not lost. */
  private early: string[] = [];
  private up: boolean;
  private hangingUp = false;

  constructor(
    private readonly resources: AriResources,
    channel: Channel,
    readonly dialled: string,
  ) {
    this.id = channel.id;
    this.callerNumber = channel.caller?.number ?? '';
    this.callerName = channel.caller?.name ?? '';
    this.up = channel.state === 'Up';
  }

  get gone(): AbortSignal {
    return this.controller.signal;
  }

  get answered(): boolean {
    return this.up;
  }

  left(cause: number | null): void {
    if (this.controller.signal.aborted) return;
    this.dtmfListeners.clear();
    const gone: ChannelGone = this.hangingUp
      ? { reason: 'left-application', cause: cause ?? 16 }
      : { reason: 'hangup', cause: cause ?? 16 };
    this.controller.abort(gone);
  }

  dtmf(digit: string): void {
    if (!this.dtmfListeners.size) {
      if (this.early.length < 32) this.early.push(digit);
      return;
    }
    for (const listener of [...this.dtmfListeners]) listener(digit);
  }

  async answer(): Promise<void> {
    await this.resources.client.channels.answer({ channelId: this.id });
    this.up = true;
  }

  async hangup(): Promise<void> {
    if (this.gone.aborted) return;
    this.hangingUp = true;
    await this.resources.client.channels.hangup({ channelId: this.id });
  }

  play(media: string, options?: { lang?: string }): Promise<Playback> {
    return this.resources.play(this.id, media, options?.lang);
  }

  record(options: RecordOptions): Promise<Recording> {
    return this.resources.record(this.id, options);
  }

  async startMoh(mohClass?: string): Promise<void> {
    await this.resources.client.channels.startMoh({ channelId: this.id, ...(mohClass ? { mohClass } : {}) });
  }

  async stopMoh(): Promise<void> {
    await this.resources.client.channels.stopMoh({ channelId: this.id });
  }

  onDtmf(listener: (digit: string) => void): () => void {
    this.dtmfListeners.add(listener);
    const early = this.early;
    this.early = [];
    for (const digit of early) listener(digit);
    return () => this.dtmfListeners.delete(listener);
  }
}
