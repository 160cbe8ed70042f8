// Messages between WorkerMediaEngine (the caller's thread) and the engine's worker thread.
import type { MediaEngineEvent } from './contract.js';

export type EngineMethod =
  | 'createRtpEndpoint'
  | 'configureRtpEndpoint'
  | 'createSnoopEndpoint'
  | 'destroyEndpoint'
  | 'setMute'
  | 'setTalkDetection'
  | 'sendDtmf'
  | 'play'
  | 'controlPlayback'
  | 'stopPlayback'
  | 'startMusicOnHold'
  | 'stopMusicOnHold'
  | 'startTone'
  | 'stopTone'
  | 'createMixer'
  | 'joinMixer'
  | 'leaveMixer'
  | 'destroyMixer'
  | 'startRecording'
  | 'stopRecording'
  | 'pauseRecording'
  | 'unpauseRecording'
  | 'muteRecording'
  | 'stats'
  | 'counts'
  | 'close';

/** `id` 0 = no reply wanted (a fire-and-forget command). */
export interface CallMessage {
  kind: 'call';
  id: number;
  method: EngineMethod;
  args: unknown[];
}

export type WorkerMessage =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: { name: string; code?: string; message: string } }
  | { kind: 'event'; event: MediaEngineEvent }
  | { kind: 'log'; message: string }
  | { kind: 'ready' };
