// A fake of our own media engine contract for unit tests of the core: it remembers what it was
// told and lets the test finish playbacks and recordings, or send DTMF, when it wants.
import type {
  Direction,
  LocalMedia,
  MediaEngine,
  MediaEngineCounts,
  MediaEngineEvent,
  MediaTarget,
  PlaylistEntry,
  RecordingOptions,
  RtpEndpointSettings,
  RtpStats,
} from '../../engine/contract.js';

export interface FakePlayback {
  id: string;
  target: MediaTarget;
  playlist: PlaylistEntry[];
  state: 'playing' | 'done' | 'cancelled' | 'failed';
}

export class FakeEngine implements MediaEngine {
  readonly endpoints = new Map<string, { settings: RtpEndpointSettings | null; snoopOf?: string }>();
  readonly mixers = new Map<string, Set<string>>();
  readonly playbacks = new Map<string, FakePlayback>();
  readonly recordings = new Map<string, { target: MediaTarget; options: RecordingOptions }>();
  readonly moh = new Map<string, string[]>();
  readonly commands: string[] = [];
  private listeners: ((e: MediaEngineEvent) => void)[] = [];
  private nextPort = 20000;
  /** When set, playbacks end by themselves after this many ms (use with fake timers). */
  playbackMs: number | null = null;

  private emit(e: MediaEngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  createRtpEndpoint(id: string): Promise<LocalMedia> {
    this.endpoints.set(id, { settings: null });
    this.commands.push(`rtp ${id}`);
    const port = this.nextPort;
    this.nextPort += 2;
    return Promise.resolve({ address: '127.0.0.1', port });
  }
  configureRtpEndpoint(id: string, settings: RtpEndpointSettings): void {
    const ep = this.endpoints.get(id);
    if (ep) ep.settings = settings;
  }
  createSnoopEndpoint(
    id: string,
    target: string,
    options: { spy: Direction | 'none'; whisper: Direction | 'none' },
  ): void {
    if (!this.endpoints.has(target)) throw new Error(`no endpoint ${target}`);
    this.endpoints.set(id, { settings: null, snoopOf: target });
    this.commands.push(`snoop ${id} ${target} ${options.spy}/${options.whisper}`);
  }
  destroyEndpoint(id: string): Promise<RtpStats | null> {
    this.endpoints.delete(id);
    for (const [pid, pb] of this.playbacks) {
      if ('endpoint' in pb.target && pb.target.endpoint === id && pb.state === 'playing')
        this.finish(pid, 'cancelled');
    }
    for (const m of this.mixers.values()) m.delete(id);
    return Promise.resolve(null);
  }
  setMute(id: string, mute: { in: boolean; out: boolean }): void {
    this.commands.push(`mute ${id} ${mute.in}/${mute.out}`);
  }
  sendDtmf(id: string, digits: string): Promise<void> {
    this.commands.push(`dtmf ${id} ${digits}`);
    return Promise.resolve();
  }
  play(playback: string, target: MediaTarget, playlist: PlaylistEntry[]): void {
    this.playbacks.set(playback, { id: playback, target, playlist, state: 'playing' });
    this.commands.push(`play ${playback}`);
    queueMicrotask(() => this.emit({ type: 'playback', playback, state: 'playing', index: 0 }));
    if (this.playbackMs !== null) setTimeout(() => this.finish(playback, 'done'), this.playbackMs);
  }
  controlPlayback(playback: string, operation: string): void {
    this.commands.push(`control ${playback} ${operation}`);
  }
  stopPlayback(playback: string): void {
    const pb = this.playbacks.get(playback);
    if (pb?.state === 'playing') this.finish(playback, 'cancelled');
  }
  /** Ends a playback as the engine would. */
  finish(playback: string, state: 'done' | 'cancelled' | 'failed' = 'done'): void {
    const pb = this.playbacks.get(playback);
    if (!pb || pb.state !== 'playing') return;
    pb.state = state;
    this.emit({ type: 'playback', playback, state, index: 0 });
  }
  /** The engine playback ids playing now. */
  playing(): string[] {
    return [...this.playbacks.values()].filter((p) => p.state === 'playing').map((p) => p.id);
  }
  startMusicOnHold(target: MediaTarget, files: string[]): void {
    this.moh.set(JSON.stringify(target), files);
  }
  stopMusicOnHold(target: MediaTarget): void {
    this.moh.delete(JSON.stringify(target));
  }
  startTone(): void {}
  stopTone(): void {}
  createMixer(id: string): void {
    this.mixers.set(id, new Set());
  }
  joinMixer(mixer: string, endpoint: string): void {
    this.mixers.get(mixer)?.add(endpoint);
  }
  leaveMixer(mixer: string, endpoint: string): void {
    this.mixers.get(mixer)?.delete(endpoint);
  }
  destroyMixer(id: string): void {
    this.mixers.delete(id);
  }
  startRecording(recording: string, target: MediaTarget, options: RecordingOptions): void {
    this.recordings.set(recording, { target, options });
    queueMicrotask(() =>
      this.emit({
        type: 'recording',
        recording,
        state: 'recording',
        durationMs: 0,
        talkingMs: 0,
        silenceMs: 0,
      }),
    );
  }
  /** Ends a recording as the engine would. */
  endRecording(recording: string, state: 'done' | 'cancelled' | 'failed' = 'done', durationMs = 2000): void {
    if (!this.recordings.delete(recording)) return;
    this.emit({
      type: 'recording',
      recording,
      state,
      durationMs,
      talkingMs: 0,
      silenceMs: 0,
      cause: state === 'failed' ? 'disk full' : 'stopped',
    });
  }
  stopRecording(recording: string, options?: { discard?: boolean }): void {
    this.endRecording(recording, options?.discard ? 'cancelled' : 'done');
  }
  pauseRecording(): void {}
  unpauseRecording(): void {}
  muteRecording(): void {}
  stats(): Promise<RtpStats | null> {
    return Promise.resolve({
      txCount: 10,
      rxCount: 12,
      txOctets: 1600,
      rxOctets: 1920,
      rxLost: 0,
      rxJitter: 0.001,
      localSsrc: 1,
      remoteSsrc: 2,
    });
  }
  counts(): Promise<MediaEngineCounts> {
    return Promise.resolve({
      endpoints: this.endpoints.size,
      mixers: this.mixers.size,
      playbacks: this.playing().length,
      recordings: this.recordings.size,
      ports: this.endpoints.size * 2,
    });
  }
  on(listener: (event: MediaEngineEvent) => void): void {
    this.listeners.push(listener);
  }
  /** An RFC 4733 digit arrives on an endpoint. */
  dtmf(endpoint: string, digit: string, durationMs = 280): void {
    this.emit({ type: 'dtmf', endpoint, digit, durationMs });
  }
  setTalkDetection(id: string, options: { silenceMs?: number; threshold?: number } | null): void {
    this.commands.push(`talk ${id} ${JSON.stringify(options)}`);
  }
  /** Talk detection reports a change on an endpoint. */
  talking(endpoint: string, talking: boolean, durationMs = 0): void {
    this.emit({ type: 'talking', endpoint, talking, durationMs });
  }
  /** The engine heard nothing from the peer for too long. */
  rtpTimeout(endpoint: string, silentMs = 30_000): void {
    this.emit({ type: 'rtp-timeout', endpoint, silentMs });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
