// The media engine: RTP endpoints, codecs, playback, tones, music on hold, mixing bridges,
// snoop, recording, DTMF. `createMediaEngine` runs it in a worker thread (its own core, out of
// reach of the SIP/ARI event loop); `createInProcessMediaEngine` runs the same engine in the
// caller's thread (unit tests, tools).
//
// How errors come back (the same in both variants): calls returning a promise reject with a
// MediaEngineError (ENDPOINT_EXISTS, NO_PORTS, ENDPOINT_NOT_FOUND, BAD_DTMF, ENGINE_CLOSED, ...);
// fire-and-forget commands never throw: a playback or recording that cannot start ends with a
// 'failed' event, anything else (unknown id, unreadable tone) is reported to `options.log`.
//
// One worker, not several: the reference machine has two cores, and the other one is needed by
// SIP, ARI and the controller; a second engine worker would compete with them rather than add
// capacity. Sharding would also split bridges across threads (a mixer's members must share a
// thread to relay without copying). If a bigger machine ever needs it, shard by bridge: create
// both legs of a call in the same worker.
import type { MediaEngine, MediaEngineOptions } from './contract.js';
import { LocalMediaEngine, type LocalMediaEngineOptions } from './engine.js';
import type { TalkDetection } from './contract.js';
import { WorkerMediaEngine } from './worker-engine.js';

export type * from './contract.js';
export { MediaEngineError } from './errors.js';
export { INDICATION_TONES } from './tones.js';
export type { LocalMediaEngineOptions } from './engine.js';

export interface CreateMediaEngineOptions extends MediaEngineOptions {
  /** Problems with fire-and-forget commands (unknown ids, unreadable tones) are reported here. */
  log?: (message: string) => void;
}

/** A MediaEngine plus Hotline's optional extras (see contract.ts CHANGES). */
export type HotlineMediaEngine = MediaEngine & {
  setTalkDetection(id: string, options: TalkDetection | null): void;
};

/** The media engine in a worker thread (the default for the media server). */
export function createMediaEngine(options: CreateMediaEngineOptions): HotlineMediaEngine {
  return new WorkerMediaEngine(options);
}

/** The same engine in this thread. */
export function createInProcessMediaEngine(options: LocalMediaEngineOptions): LocalMediaEngine {
  return new LocalMediaEngine(options);
}

export { LocalMediaEngine };
