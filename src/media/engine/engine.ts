// The media engine in this thread: registries of endpoints, mixers, playbacks and recordings,
// the media clock that drives them, and the once-a-second housekeeping (silent peers, RTCP).
// createMediaEngine (index.ts) runs this same class inside a worker thread.
import { AudioFiles } from './audio-files.js';
import type {
  Direction,
  LocalMedia,
  MediaEngine,
  MediaEngineCounts,
  MediaEngineEvent,
  MediaEngineOptions,
  MediaTarget,
  PlaylistEntry,
  RecordingOptions,
  RtpEndpointSettings,
  RtpStats,
} from './contract.js';
import type { DtmfPress } from './dtmf-receiver.js';
import { DtmfSender, parseDigits, type DtmfTiming } from './dtmf-sender.js';
import type { Endpoint } from './endpoint.js';
import { MediaEngineError } from './errors.js';
import { EventQueue } from './event-queue.js';
import { MediaClock, systemClock, type Clock } from './media-clock.js';
import { Mixer } from './mixer.js';
import type { Playback } from './playback.js';
import { PortPool } from './port-pool.js';
import { INTERNAL_PLAYBACK, Recordings } from './recordings.js';
import { RtpEndpoint } from './rtp-endpoint.js';
import { SnoopEndpoint } from './snoop-endpoint.js';
import { TargetSources } from './sources.js';
import { TalkDetector, type TalkDetection } from './talk-detector.js';
import { planTopology } from './topology.js';

export interface LocalMediaEngineOptions extends MediaEngineOptions {
  /** Time source and timers (tests pass a fake one). */
  clock?: Clock;
  /** Where problems with fire-and-forget commands are reported (unknown ids, bad tones). */
  log?: (message: string) => void;
}

export class LocalMediaEngine implements MediaEngine {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly mixers = new Map<string, Mixer>();
  private readonly playbacks = new Map<string, { playback: Playback; sources: TargetSources }>();
  private readonly recordings: Recordings;
  private readonly events: EventQueue;
  private readonly ports: PortPool;
  private readonly files = new AudioFiles();
  private readonly clock: Clock;
  private readonly mediaClock: MediaClock;
  private clocked: RtpEndpoint[] = [];
  private talkers: Endpoint[] = [];
  private housekeeping: unknown = null;
  private planned = true;
  private closed = false;
  private readonly rtpTimeoutMs: number;
  private readonly log: (message: string) => void;

  constructor(options: LocalMediaEngineOptions) {
    this.ports = new PortPool(options.rtpPortMin, options.rtpPortMax);
    this.clock = options.clock ?? systemClock;
    this.rtpTimeoutMs = options.rtpTimeoutMs ?? 30_000;
    this.log = options.log ?? (() => undefined);
    this.mediaClock = new MediaClock((tick) => this.onTick(tick), this.clock);
    this.recordings = new Recordings(this.emit, this.replan);
    this.events = new EventQueue(this.log);
  }

  // ── events ────────────────────────────────────────────────────────────────────────────

  on(listener: (event: MediaEngineEvent) => void): void {
    this.events.on(listener);
  }

  /** Events are delivered after the current step, so a listener may call back into the engine. */
  private emit = (event: MediaEngineEvent): void => {
    if (event.type === 'playback' && event.state !== 'playing' && event.state !== 'continuing') {
      this.playbacks.delete(event.playback);
      if (event.playback.startsWith(INTERNAL_PLAYBACK)) return this.recordings.beepEnded(event.playback);
    }
    if (event.type === 'playback' && event.playback.startsWith(INTERNAL_PLAYBACK)) return;
    if (
      event.type === 'recording' &&
      (event.state === 'done' || event.state === 'failed' || event.state === 'cancelled')
    )
      this.recordings.forget(event.recording);
    this.events.push(event);
  };

  // ── topology and clock ────────────────────────────────────────────────────────────────

  private replan = (): void => {
    if (!this.planned) return;
    this.planned = false;
    queueMicrotask(() => this.plan());
  };

  private plan(): void {
    this.planned = true;
    if (this.closed) return;
    this.clocked = planTopology(this.endpoints.values());
    this.talkers = [...this.endpoints.values()].filter((e) => e.talk !== null);
    const needsClock = this.clocked.length > 0 || this.recordings.size > 0 || this.talkers.length > 0;
    if (needsClock) this.mediaClock.start();
    else this.mediaClock.stop();
  }

  private onTick(tick: number): void {
    // One endpoint's failure must not silence every call: it is reported and the tick goes on.
    for (const endpoint of this.clocked) {
      try {
        endpoint.tick(tick);
      } catch (err) {
        this.fault(`endpoint ${endpoint.id}`, err);
      }
    }
    try {
      this.recordings.tick(tick);
      for (const endpoint of this.talkers) endpoint.talk?.frame(endpoint.peerFrame(tick));
    } catch (err) {
      this.fault('recording or talk detection', err);
    }
  }

  private lastFaultAt = -Infinity;

  /** Logs a fault at most once a second (a broken endpoint would otherwise log 50 times a second). */
  private fault(where: string, err: unknown): void {
    const now = this.clock.now();
    if (now - this.lastFaultAt < 1000) return;
    this.lastFaultAt = now;
    this.log(`media engine fault in ${where}: ${(err as Error).stack ?? String(err)}`);
  }

  private startHousekeeping(): void {
    if (this.housekeeping !== null) return;
    const run = (): void => {
      const now = this.clock.now();
      for (const e of this.endpoints.values())
        if (e instanceof RtpEndpoint) e.housekeeping(now, this.rtpTimeoutMs);
      this.housekeeping = this.clock.setTimeout(run, 1000);
    };
    this.housekeeping = this.clock.setTimeout(run, 1000);
  }

  private stopHousekeepingIfIdle(): void {
    if (this.endpoints.size > 0 || this.housekeeping === null) return;
    this.clock.clearTimeout(this.housekeeping);
    this.housekeeping = null;
  }

  // ── endpoints ─────────────────────────────────────────────────────────────────────────

  private sourcesFor(rate: number): TargetSources {
    return new TargetSources(rate, this.files, this.emit, this.replan);
  }

  async createRtpEndpoint(id: string, options: { bindAddress: string }): Promise<LocalMedia> {
    this.assertOpen();
    if (this.endpoints.has(id))
      throw new MediaEngineError('ENDPOINT_EXISTS', `endpoint ${id} exists already`);
    const pair = await this.ports.allocate(options.bindAddress);
    if (this.closed || this.endpoints.has(id)) {
      await this.ports.release(pair);
      throw new MediaEngineError(
        this.closed ? 'ENGINE_CLOSED' : 'ENDPOINT_EXISTS',
        `endpoint ${id} not created`,
      );
    }
    const endpoint = new RtpEndpoint(id, pair, options.bindAddress, this.sourcesFor(8000), {
      now: () => this.clock.now(),
      emit: this.emit,
      dtmf: (e, press) => this.onDtmf(e, press),
      topologyChanged: this.replan,
      fault: (err) => this.fault(`endpoint ${id}`, err),
    });
    this.endpoints.set(id, endpoint);
    this.startHousekeeping();
    return { address: options.bindAddress, port: pair.port };
  }

  configureRtpEndpoint(id: string, settings: RtpEndpointSettings): void {
    const endpoint = this.rtp(id);
    if (!endpoint) return;
    endpoint.configure(settings);
    if (endpoint.mixer) endpoint.mixer.widenTo(endpoint.rate);
  }

  createSnoopEndpoint(
    id: string,
    target: string,
    options: { spy: Direction | 'none'; whisper: Direction | 'none' },
  ): void {
    if (this.endpoints.has(id)) return this.log(`snoop ${id}: an endpoint with that id exists already`);
    const tapped = this.endpoints.get(target);
    if (!tapped) return this.log(`snoop ${id}: no endpoint ${target} to snoop on`);
    const snoop = new SnoopEndpoint(id, tapped, options.spy, options.whisper, this.sourcesFor(tapped.rate));
    this.endpoints.set(id, snoop);
    this.replan();
  }

  async destroyEndpoint(id: string): Promise<RtpStats | null> {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return null;
    this.endpoints.delete(id);
    endpoint.mixer?.leave(endpoint);
    endpoint.sources.clear();
    for (const snoop of endpoint.snoops) if (snoop instanceof SnoopEndpoint) snoop.detach();
    if (endpoint instanceof SnoopEndpoint) endpoint.detach();
    this.recordings.targetGone(endpoint);
    endpoint.talk = null;
    this.replan();
    let stats: RtpStats | null = null;
    if (endpoint instanceof RtpEndpoint) {
      stats = await endpoint.shutdown();
      await this.ports.release(endpoint.sockets);
    }
    this.stopHousekeepingIfIdle();
    return stats;
  }

  setMute(id: string, mute: { in: boolean; out: boolean }): void {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return this.log(`mute: no endpoint ${id}`);
    endpoint.muteIn = mute.in;
    endpoint.muteOut = mute.out;
    this.replan();
  }

  /** Talk detection on what an endpoint hears (ChannelTalkingStarted/Finished); null turns it off. */
  setTalkDetection(id: string, options: TalkDetection | null): void {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return this.log(`talk detection: no endpoint ${id}`);
    endpoint.talk = options
      ? new TalkDetector(options, (talking, durationMs) =>
          this.emit({ type: 'talking', endpoint: id, talking, durationMs }),
        )
      : null;
    this.replan();
  }

  async sendDtmf(id: string, digits: string, timing: DtmfTiming = {}): Promise<void> {
    const endpoint = this.rtp(id);
    if (!endpoint) throw new MediaEngineError('ENDPOINT_NOT_FOUND', `no RTP endpoint ${id}`);
    const sender = new DtmfSender(parseDigits(digits, timing), endpoint.settings?.rtpClockRate ?? 8000);
    endpoint.queueDtmf(sender);
    return sender.done;
  }

  private onDtmf(endpoint: RtpEndpoint, press: DtmfPress): void {
    this.emit({ type: 'dtmf', endpoint: endpoint.id, digit: press.digit, durationMs: press.durationMs });
    this.recordings.dtmf(endpoint, press.digit);
  }

  // ── sources ───────────────────────────────────────────────────────────────────────────

  private sourcesOf(target: MediaTarget): TargetSources | null {
    if ('endpoint' in target) return this.endpoints.get(target.endpoint)?.sources ?? null;
    return this.mixers.get(target.mixer)?.sources ?? null;
  }

  play(
    playback: string,
    target: MediaTarget,
    playlist: PlaylistEntry[],
    options: { offsetMs?: number; skipMs?: number } = {},
  ): void {
    const sources = this.sourcesOf(target);
    if (!sources || this.playbacks.has(playback)) {
      this.log(`playback ${playback}: ${sources ? 'id in use' : 'no such target'}`);
      this.emit({ type: 'playback', playback, state: 'failed', index: 0 });
      return;
    }
    this.playbacks.set(playback, { playback: sources.play(playback, playlist, options), sources });
    this.replan();
  }

  controlPlayback(
    playback: string,
    operation: 'pause' | 'unpause' | 'restart' | 'reverse' | 'forward',
  ): void {
    const entry = this.playbacks.get(playback);
    if (!entry) return this.log(`control: no playback ${playback}`);
    entry.playback.control(operation);
  }

  stopPlayback(playback: string): void {
    const entry = this.playbacks.get(playback);
    if (!entry) return;
    entry.sources.stop(entry.playback);
  }

  startMusicOnHold(target: MediaTarget, files: string[]): void {
    const sources = this.sourcesOf(target);
    if (!sources) return this.log(`music on hold: no such target ${JSON.stringify(target)}`);
    sources.startMusicOnHold(files);
  }

  stopMusicOnHold(target: MediaTarget): void {
    this.sourcesOf(target)?.stopMusicOnHold();
  }

  startTone(target: MediaTarget, tone: string): void {
    const sources = this.sourcesOf(target);
    if (!sources) return this.log(`tone: no such target ${JSON.stringify(target)}`);
    try {
      sources.startTone(tone);
    } catch (err) {
      this.log((err as Error).message);
    }
  }

  stopTone(target: MediaTarget): void {
    this.sourcesOf(target)?.stopTone();
  }

  // ── mixers ────────────────────────────────────────────────────────────────────────────

  createMixer(id: string): void {
    if (this.mixers.has(id)) return this.log(`mixer ${id} exists already`);
    this.mixers.set(id, new Mixer(id, this.sourcesFor(8000), 8000));
  }

  joinMixer(mixer: string, endpoint: string, options: { muted?: boolean } = {}): void {
    const m = this.mixers.get(mixer);
    const e = this.endpoints.get(endpoint);
    if (!m || !e) return this.log(`join: no ${m ? 'endpoint' : 'mixer'} ${m ? endpoint : mixer}`);
    if (e.mixer && e.mixer !== m) e.mixer.leave(e);
    m.join(e, options.muted ?? false);
    m.widenTo(e.rate);
    this.replan();
  }

  leaveMixer(mixer: string, endpoint: string): void {
    const m = this.mixers.get(mixer);
    const e = this.endpoints.get(endpoint);
    if (!m || !e) return;
    m.leave(e);
    this.replan();
  }

  destroyMixer(id: string): void {
    const mixer = this.mixers.get(id);
    if (!mixer) return;
    this.mixers.delete(id);
    for (const member of [...mixer.members.keys()]) mixer.leave(member);
    mixer.sources.clear();
    this.recordings.targetGone(mixer);
    this.replan();
  }

  // ── recordings ────────────────────────────────────────────────────────────────────────

  startRecording(recording: string, target: MediaTarget, options: RecordingOptions): void {
    const on = 'endpoint' in target ? this.endpoints.get(target.endpoint) : this.mixers.get(target.mixer);
    this.recordings.start(recording, on, options);
  }

  stopRecording(recording: string, options: { discard?: boolean } = {}): void {
    this.recordings.stop(recording, options.discard ?? false);
  }

  pauseRecording(recording: string): void {
    this.recordings.pause(recording);
  }

  unpauseRecording(recording: string): void {
    this.recordings.unpause(recording);
  }

  muteRecording(recording: string, muted: boolean): void {
    this.recordings.mute(recording, muted);
  }

  // ── status ────────────────────────────────────────────────────────────────────────────

  stats(endpoint: string): Promise<RtpStats | null> {
    return Promise.resolve(this.rtp(endpoint)?.statsNow() ?? null);
  }

  counts(): Promise<MediaEngineCounts> {
    return Promise.resolve({
      endpoints: this.endpoints.size,
      mixers: this.mixers.size,
      playbacks: this.playbacks.size,
      recordings: this.recordings.size,
      ports: this.ports.openSockets,
    });
  }

  /** Ticks the media clock skipped because the thread was too busy (a sign of overload). */
  get skippedTicks(): number {
    return this.mediaClock.skipped;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.recordings.stopAll();
    for (const id of [...this.mixers.keys()]) this.destroyMixer(id);
    await Promise.all([...this.endpoints.keys()].map((id) => this.destroyEndpoint(id)));
    this.closed = true;
    this.mediaClock.stop();
    if (this.housekeeping !== null) this.clock.clearTimeout(this.housekeeping);
    this.housekeeping = null;
    this.events.flush();
  }

  private rtp(id: string): RtpEndpoint | null {
    const endpoint = this.endpoints.get(id);
    if (endpoint instanceof RtpEndpoint) return endpoint;
    this.log(`no RTP endpoint ${id}`);
    return null;
  }

  private assertOpen(): void {
    if (this.closed) throw new MediaEngineError('ENGINE_CLOSED', 'the media engine is closed');
  }
}
