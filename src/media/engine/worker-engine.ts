// A MediaEngine whose work happens in a worker thread: every call becomes a message, every
// event comes back as one. Fire-and-forget commands keep their fire-and-forget nature (their
// problems go to `log`); calls that return promises get their answers or typed errors back.
import { Worker } from 'node:worker_threads';
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
import type { DtmfTiming } from './dtmf-sender.js';
import { MediaEngineError } from './errors.js';
import type { TalkDetection } from './talk-detector.js';
import type { EngineMethod, WorkerMessage } from './worker-protocol.js';

export interface WorkerMediaEngineOptions extends MediaEngineOptions {
  log?: (message: string) => void;
}

export class WorkerMediaEngine implements MediaEngine {
  private readonly worker: Worker;
  private readonly listeners: ((event: MediaEngineEvent) => void)[] = [];
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;
  private readonly exited: Promise<void>;

  constructor(options: WorkerMediaEngineOptions) {
    const { log, ...data } = options;
    this.worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: data });
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'event') for (const listener of this.listeners) listener(message.event);
      else if (message.kind === 'log') log?.(message.message);
      else if (message.kind === 'result') this.settle(message);
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => {
        this.closed = true;
        for (const { reject } of this.waiting.values())
          reject(new MediaEngineError('ENGINE_CLOSED', 'the media engine worker has stopped'));
        this.waiting.clear();
        resolve();
      });
    });
    this.worker.on('error', (err) => log?.(`media engine worker failed: ${err.message}`));
  }

  private settle(message: Extract<WorkerMessage, { kind: 'result' }>): void {
    const waiter = this.waiting.get(message.id);
    if (!waiter) return;
    this.waiting.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else {
      const { code, message: text, name } = message.error;
      const error = code ? new MediaEngineError(code as MediaEngineError['code'], text) : new Error(text);
      error.name = name;
      waiter.reject(error);
    }
  }

  private call<T>(method: EngineMethod, ...args: unknown[]): Promise<T> {
    if (this.closed)
      return Promise.reject(new MediaEngineError('ENGINE_CLOSED', 'the media engine is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ kind: 'call', id, method, args });
    });
  }

  private send(method: EngineMethod, ...args: unknown[]): void {
    if (this.closed) return;
    this.worker.postMessage({ kind: 'call', id: 0, method, args });
  }

  createRtpEndpoint(id: string, options: { bindAddress: string }): Promise<LocalMedia> {
    return this.call('createRtpEndpoint', id, options);
  }
  configureRtpEndpoint(id: string, settings: RtpEndpointSettings): void {
    this.send('configureRtpEndpoint', id, settings);
  }
  createSnoopEndpoint(
    id: string,
    target: string,
    options: { spy: Direction | 'none'; whisper: Direction | 'none' },
  ): void {
    this.send('createSnoopEndpoint', id, target, options);
  }
  destroyEndpoint(id: string): Promise<RtpStats | null> {
    return this.call('destroyEndpoint', id);
  }
  setMute(id: string, mute: { in: boolean; out: boolean }): void {
    this.send('setMute', id, mute);
  }
  setTalkDetection(id: string, options: TalkDetection | null): void {
    this.send('setTalkDetection', id, options);
  }
  sendDtmf(id: string, digits: string, timing?: DtmfTiming): Promise<void> {
    return this.call('sendDtmf', id, digits, timing);
  }
  play(
    playback: string,
    target: MediaTarget,
    playlist: PlaylistEntry[],
    options?: { offsetMs?: number; skipMs?: number },
  ): void {
    this.send('play', playback, target, playlist, options);
  }
  controlPlayback(
    playback: string,
    operation: 'pause' | 'unpause' | 'restart' | 'reverse' | 'forward',
  ): void {
    this.send('controlPlayback', playback, operation);
  }
  stopPlayback(playback: string): void {
    this.send('stopPlayback', playback);
  }
  startMusicOnHold(target: MediaTarget, files: string[]): void {
    this.send('startMusicOnHold', target, files);
  }
  stopMusicOnHold(target: MediaTarget): void {
    this.send('stopMusicOnHold', target);
  }
  startTone(target: MediaTarget, tone: string): void {
    this.send('startTone', target, tone);
  }
  stopTone(target: MediaTarget): void {
    this.send('stopTone', target);
  }
  createMixer(id: string): void {
    this.send('createMixer', id);
  }
  joinMixer(mixer: string, endpoint: string, options?: { muted?: boolean }): void {
    this.send('joinMixer', mixer, endpoint, options);
  }
  leaveMixer(mixer: string, endpoint: string): void {
    this.send('leaveMixer', mixer, endpoint);
  }
  destroyMixer(id: string): void {
    this.send('destroyMixer', id);
  }
  startRecording(recording: string, target: MediaTarget, options: RecordingOptions): void {
    this.send('startRecording', recording, target, options);
  }
  stopRecording(recording: string, options?: { discard?: boolean }): void {
    this.send('stopRecording', recording, options);
  }
  pauseRecording(recording: string): void {
    this.send('pauseRecording', recording);
  }
  unpauseRecording(recording: string): void {
    this.send('unpauseRecording', recording);
  }
  muteRecording(recording: string, muted: boolean): void {
    this.send('muteRecording', recording, muted);
  }
  stats(endpoint: string): Promise<RtpStats | null> {
    return this.call('stats', endpoint);
  }
  counts(): Promise<MediaEngineCounts> {
    return this.call('counts');
  }
  on(listener: (event: MediaEngineEvent) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return this.exited;
    try {
      await this.call('close');
    } finally {
      this.closed = true;
      await this.worker.terminate();
      await this.exited;
    }
  }
}
