// Small fakes of the IVR's own interfaces (channel, playback, recording, trail, store,
// prompt sources) for unit tests of verbs and the interpreter, driven with fake timers. They keep
// a log of what the IVR asked for and count what is still open, so tests can check that nothing
// leaks when a caller hangs up. End-to-end tests use the real media server instead.
import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import type { CallUpdate } from '../../store/index.js';
import { defaultLanguages } from '../languages.js';
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
} from '../resources/contract.js';
import type { PromptSources } from '../runtime/prompts.js';
import type { IvrStore, NewCallbackRequest, NewVoicemail, VoicemailRecord } from '../store/store.js';
import type { CallTrail, StepRecord } from '../store/trail.js';
import type { IvrServices } from '../verbs/verb.js';
import { deferred } from '../../deferred.js';

export { FakeQueuedCall, FakeRouter } from './fake-router.js';

/** Plays for `durationMs` of fake time once it reaches the head of its channel's queue. */
export class FakePlayback implements Playback {
  readonly started: Promise<void>;
  readonly finished: Promise<PlaybackEnd>;
  state: 'queued' | 'playing' | PlaybackEnd = 'queued';
  private readonly begin = deferred<void>();
  private readonly end = deferred<PlaybackEnd>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly id: string,
    readonly media: string,
    private readonly durationMs: number,
    private readonly channel: FakeChannel,
  ) {
    this.finished = this.end.promise;
    this.started = this.begin.promise;
  }

  get active(): boolean {
    return this.state === 'queued' || this.state === 'playing';
  }

  start(): void {
    if (this.state !== 'queued') return;
    this.state = 'playing';
    this.begin.resolve();
    this.timer = setTimeout(() => this.finish('done'), this.durationMs);
  }

  finish(state: PlaybackEnd): void {
    if (!this.active) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state = state;
    this.end.resolve(state);
    this.channel.playNext();
  }

  stop(): Promise<void> {
    if (this.active) this.channel.log.push(`stop ${this.media}`);
    this.finish('cancelled');
    return Promise.resolve();
  }
}

export class FakeRecording implements Recording {
  readonly finished: Promise<RecordingResult>;
  state: 'recording' | RecordingResult['state'] = 'recording';
  private readonly end = deferred<RecordingResult>();

  constructor(
    readonly options: RecordOptions,
    private readonly channel?: FakeChannel,
  ) {
    this.finished = this.end.promise;
  }

  get name(): string {
    return this.options.name;
  }

  finish(state: RecordingResult['state'], durationSeconds: number | null): void {
    if (this.state !== 'recording') return;
    this.state = state;
    this.end.resolve({ name: this.name, format: this.options.format, state, durationSeconds });
  }

  stop(): Promise<void> {
    // Once the channel is gone, stopping is up to the server (which may report late, or never).
    if (this.channel?.gone.aborted && !this.channel.recordingsEndOnHangup) return Promise.resolve();
    this.finish('done', 3);
    return Promise.resolve();
  }
}

export class FakeChannel implements CallChannel {
  readonly log: string[] = [];
  readonly playbacks: FakePlayback[] = [];
  readonly recordings: FakeRecording[] = [];
  answered = false;
  hungUp = false;
  moh = false;
  /** How long each playback plays before it is done (fake timers). */
  playMs = 1000;
  /** Whether recordings report their end when the caller hangs up (the test may report later). */
  recordingsEndOnHangup = true;
  private readonly controller = new AbortController();
  private readonly dtmf = new Set<(digit: string) => void>();
  private nextId = 1;

  constructor(
    readonly id = 'chan-1',
    readonly callerNumber = '+8613800138000',
    readonly callerName = 'Caller',
    readonly dialled = '4008001234',
  ) {}

  get gone(): AbortSignal {
    return this.controller.signal;
  }

  answer(): Promise<void> {
    if (this.gone.aborted) return Promise.reject(new Error('Channel not found'));
    if (!this.answered) this.log.push('answer');
    this.answered = true;
    return Promise.resolve();
  }

  hangup(): Promise<void> {
    if (this.gone.aborted) return Promise.reject(new Error('Channel not found'));
    this.log.push('hangup');
    this.hungUp = true;
    this.leave({ reason: 'left-application', cause: 16 });
    return Promise.resolve();
  }

  play(media: string, options?: { lang?: string }): Promise<Playback> {
    if (this.gone.aborted) return Promise.reject(new Error('Channel not found'));
    this.log.push(`play ${media}${options?.lang ? ` (${options.lang})` : ''}`);
    const playback = new FakePlayback(`pb-${this.nextId++}`, media, this.playMs, this);
    this.playbacks.push(playback);
    this.playNext();
    return Promise.resolve(playback);
  }

  record(options: RecordOptions): Promise<Recording> {
    if (this.gone.aborted) return Promise.reject(new Error('Channel not found'));
    this.log.push(`record ${options.name}`);
    const recording = new FakeRecording(options, this);
    this.recordings.push(recording);
    return Promise.resolve(recording);
  }

  /** One playback at a time, in order, as ARI servers play a channel's playbacks. */
  playNext(): void {
    if (this.playbacks.some((p) => p.state === 'playing')) return;
    this.playbacks.find((p) => p.state === 'queued')?.start();
  }

  startMoh(mohClass = 'default'): Promise<void> {
    this.log.push(`moh start ${mohClass}`);
    this.moh = true;
    return Promise.resolve();
  }

  stopMoh(): Promise<void> {
    this.log.push('moh stop');
    this.moh = false;
    return Promise.resolve();
  }

  onDtmf(listener: (digit: string) => void): () => void {
    this.dtmf.add(listener);
    return () => this.dtmf.delete(listener);
  }

  /** The caller presses keys (each one an event, as RFC 4733 end packets are). */
  press(keys: string): void {
    for (const digit of keys) for (const listener of [...this.dtmf]) listener(digit);
  }

  /** The caller hangs up: what plays fails and recordings end, as on Asterisk. */
  callerHangsUp(): void {
    this.log.push('caller hangs up');
    this.leave({ reason: 'hangup', cause: 16 });
  }

  private leave(gone: ChannelGone): void {
    if (this.gone.aborted) return;
    for (const p of [...this.playbacks]) p.finish('failed');
    if (this.recordingsEndOnHangup) for (const r of this.recordings) r.finish('done', 4);
    this.controller.abort(gone);
  }

  get activePlaybacks(): number {
    return this.playbacks.filter((p) => p.active).length;
  }

  get dtmfListeners(): number {
    return this.dtmf.size;
  }

  /** The media played so far, in order. */
  get played(): string[] {
    return this.playbacks.map((p) => p.media);
  }
}

export class MemoryTrail implements CallTrail {
  readonly events: { type: string; data: Record<string, unknown> }[] = [];
  readonly updates: CallUpdate[] = [];

  event(type: string, data: Record<string, unknown>): void {
    this.events.push({ type, data });
  }

  step(record: StepRecord): void {
    this.event('ivr.step', { ...record });
  }

  update(update: CallUpdate): void {
    this.updates.push(update);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  get steps(): StepRecord[] {
    return this.events.filter((e) => e.type === 'ivr.step').map((e) => e.data as unknown as StepRecord);
  }

  /** step names in order, e.g. ['welcome', 'main-menu', 'billing']. */
  get path(): string[] {
    return this.steps.map((s) => s.step);
  }
}

export class MemoryStore implements IvrStore {
  readonly voicemails: VoicemailRecord[] = [];
  readonly callbacks: (NewCallbackRequest & { id: string })[] = [];

  saveVoicemail(v: NewVoicemail): Promise<VoicemailRecord> {
    const record = { ...v, id: String(this.voicemails.length + 1), createdAt: new Date(), heardAt: null };
    this.voicemails.push(record);
    return Promise.resolve(record);
  }

  saveCallbackRequest(r: NewCallbackRequest): Promise<{ id: string }> {
    const id = String(this.callbacks.length + 1);
    this.callbacks.push({ ...r, id });
    return Promise.resolve({ id });
  }
}

/** TTS stand-in: `sound:tts/<lang>/<text>`; recorded prompts are the names in `recorded`. */
export class FakeSources implements PromptSources {
  readonly recordedPrompts = new Set<string>();

  recorded(name: string, soundsLang: string): boolean {
    return this.recordedPrompts.has(`${soundsLang}/${name}`);
  }

  synthesize(text: string, language: string): Promise<string> {
    return Promise.resolve(`sound:tts/${language}/${text}`);
  }
}

export class FakeLeg implements DialledLeg {
  private readonly controller = new AbortController();
  hungUp = false;
  constructor(readonly id: string) {}
  get gone(): AbortSignal {
    return this.controller.signal;
  }
  hangup(): Promise<void> {
    this.hungUp = true;
    this.controller.abort();
    return Promise.resolve();
  }
  farEndHangsUp(): void {
    this.controller.abort();
  }
}

export class FakeDialer implements Dialer {
  readonly dialled: { endpoint: string; callerId: string; timeoutSeconds: number }[] = [];
  answer: 'answer' | 'no-answer' = 'answer';
  readonly legs: FakeLeg[] = [];

  dial(endpoint: string, options: { callerId: string; timeoutSeconds: number }): Promise<DialledLeg> {
    this.dialled.push({ endpoint, callerId: options.callerId, timeoutSeconds: options.timeoutSeconds });
    if (this.answer === 'no-answer') return Promise.reject(new Error('no answer'));
    const leg = new FakeLeg(`leg-${this.legs.length + 1}`);
    this.legs.push(leg);
    return Promise.resolve(leg);
  }
}

export class FakeBridges implements Bridges {
  readonly bridges: { id: string; name: string; channels: string[]; destroyed: boolean }[] = [];

  createMixing(name: string): Promise<MixingBridge> {
    const b = { id: `br-${this.bridges.length + 1}`, name, channels: [] as string[], destroyed: false };
    this.bridges.push(b);
    return Promise.resolve({
      id: b.id,
      addChannels: (ids: string[]) => {
        b.channels.push(...ids);
        return Promise.resolve();
      },
      destroy: () => {
        b.destroyed = true;
        return Promise.resolve();
      },
    });
  }
}

export function fakeServices(overrides: Partial<IvrServices> = {}): IvrServices {
  return {
    router: null,
    speech: null,
    dialer: null,
    bridges: null,
    store: new MemoryStore(),
    fetch: globalThis.fetch,
    httpBaseUrl: null,
    languages: defaultLanguages,
    timezone: 'Asia/Shanghai',
    transferTrunk: null,
    endpointTech: 'PJSIP',
    now: () => new Date(),
    ...overrides,
  };
}

export const testLogger: Logger = silentLogger;
