// Recording a channel or a bridge (POST .../record) and controlling live recordings
// (stop, cancel, pause, mute), with Asterisk's checks and events (RecordingStarted,
// RecordingFinished, RecordingFailed). A channel records through its command queue, as Asterisk
// records in the channel's thread: what is queued after it waits until it ends.
import type { MediaTarget, RecordingOptions } from '../engine/contract.js';
import { eventBody } from './applications.js';
import { refreshTechnology } from './bridges.js';
import { QueueClosedError } from './control-queue.js';
import type { MediaCore } from './core.js';
import { badRequest, CoreError, unprocessable } from './errors.js';
import {
  checkRecordingName,
  isRecordingFormat,
  LiveRecording,
  type LiveRecordingSnapshot,
  type RecordingFormat,
} from './recordings.js';

export interface RecordRequest {
  name?: string;
  format?: string;
  maxDurationSeconds?: number;
  maxSilenceSeconds?: number;
  ifExists?: string;
  beep?: boolean;
  terminateOn?: string;
}

const TERMINATE: Record<string, string | undefined> = {
  '': undefined,
  none: undefined,
  any: 'any',
  '*': '*',
  '#': '#',
};

function prepare(core: MediaCore, req: RecordRequest, targetUri: string): LiveRecording {
  if ((req.maxDurationSeconds ?? 0) < 0) throw badRequest('max_duration_seconds cannot be negative');
  if ((req.maxSilenceSeconds ?? 0) < 0) throw badRequest('max_silence_seconds cannot be negative');
  const terminateOn = req.terminateOn ?? '';
  if (!(terminateOn in TERMINATE)) throw badRequest('terminateOn invalid');
  const ifExists = req.ifExists || 'fail';
  if (!['fail', 'overwrite', 'append'].includes(ifExists)) throw badRequest('ifExists invalid');
  if (!isRecordingFormat(req.format)) throw unprocessable('specified format is unknown on this system');
  const name = checkRecordingName(req.name);
  const format: RecordingFormat = req.format;
  if (ifExists === 'append')
    throw new CoreError('NOT_IMPLEMENTED', 'ifExists=append is not supported: use fail or overwrite');
  if (core.liveRecordings.has(name) || (ifExists === 'fail' && core.stored.exists(name)))
    throw new CoreError('RECORDING_EXISTS', `Recording '${name}' already exists and can not be overwritten`);
  core.stored.prepare(name);
  const options: RecordingOptions = {
    path: core.stored.pathFor(name, format),
    format: format,
    ...(req.maxDurationSeconds ? { maxDurationMs: req.maxDurationSeconds * 1000 } : {}),
    ...(req.maxSilenceSeconds ? { maxSilenceMs: req.maxSilenceSeconds * 1000 } : {}),
    ...(req.beep ? { beep: true } : {}),
    ...(TERMINATE[terminateOn] ? { terminateOn: TERMINATE[terminateOn] } : {}),
  };
  const rec = new LiveRecording(name, format, targetUri, options, Boolean(req.maxSilenceSeconds));
  core.liveRecordings.set(name, rec);
  return rec;
}

function publishRecording(core: MediaCore, rec: LiveRecording, type: string): void {
  const [kind, id] = rec.targetUri.split(/:(.*)/s) as [string, string];
  const target = kind === 'channel' ? core.channels.get(id) : core.bridges.get(id);
  core.publish(eventBody(type, { recording: rec.snapshot() }), [target?.subscribers]);
}

/** Runs a recording on the engine and turns its reports into ARI events; resolves when it ends. */
async function runRecording(core: MediaCore, rec: LiveRecording, target: MediaTarget): Promise<void> {
  core.engineWaiters.set(rec.name, (event) => {
    if (event.type !== 'recording') return;
    // Durations are reported once the recording has ended, as Asterisk does.
    if (event.state === 'done' || event.state === 'failed' || event.state === 'cancelled') {
      rec.durationS = Math.round(event.durationMs / 1000);
      rec.talkingS = Math.round(event.talkingMs / 1000);
      rec.silenceS = Math.round(event.silenceMs / 1000);
    }
    switch (event.state) {
      case 'recording':
        if (rec.state === 'recording') return;
        rec.state = 'recording';
        publishRecording(core, rec, 'RecordingStarted');
        return;
      case 'paused':
        rec.state = 'paused';
        return;
      case 'done':
        rec.state = 'done';
        publishRecording(core, rec, 'RecordingFinished');
        rec.end();
        return;
      case 'cancelled':
        rec.state = 'canceled';
        publishRecording(core, rec, 'RecordingFinished');
        rec.end();
        return;
      case 'failed':
        rec.state = 'failed';
        rec.cause = event.cause ?? 'failed';
        publishRecording(core, rec, 'RecordingFailed');
        rec.end();
        return;
    }
  });
  try {
    core.engine.startRecording(rec.name, target, rec.options);
  } catch (err) {
    rec.state = 'failed';
    rec.cause = (err as Error).message;
    publishRecording(core, rec, 'RecordingFailed');
    rec.end();
  }
  await rec.finished;
  core.engineWaiters.delete(rec.name);
  core.liveRecordings.delete(rec.name);
}

/** POST /channels/{id}/record. */
export function recordChannel(core: MediaCore, channelId: string, req: RecordRequest): LiveRecordingSnapshot {
  const ch = core.control(channelId);
  const rec = prepare(core, req, `channel:${ch.id}`);
  const snapshot = rec.snapshot();
  ch.control
    .run(async () => {
      ch.recordingName = rec.name;
      try {
        await runRecording(core, rec, { endpoint: ch.id });
      } finally {
        ch.recordingName = null;
      }
    })
    .catch((err: unknown) => {
      core.liveRecordings.delete(rec.name);
      if (!(err instanceof QueueClosedError))
        core.log.error({ err, recording: rec.name }, 'recording failed');
    });
  return snapshot;
}

/** POST /bridges/{id}/record. */
export function recordBridge(
  core: MediaCore,
  bridgeId: string,
  req: RecordRequest & { recorder_format?: string },
): LiveRecordingSnapshot {
  const bridge = core.bridge(bridgeId);
  if (!isRecordingFormat(req.format)) throw unprocessable('specified format is unknown on this system');
  if (req.recorder_format && !['ulaw', 'alaw', 'slin', 'slin16', 'g722'].includes(req.recorder_format))
    throw unprocessable('specified recorder_format is unknown on this system');
  if (bridge.recordingName) throw new CoreError('CONFLICT', `Bridge ${bridge.id} currently recording`);
  const rec = prepare(core, req, `bridge:${bridge.id}`);
  bridge.recordingName = rec.name;
  refreshTechnology(core, bridge);
  void runRecording(core, rec, { mixer: bridge.id }).finally(() => {
    bridge.recordingName = null;
    if (!bridge.destroyed) refreshTechnology(core, bridge);
  });
  return rec.snapshot();
}

function live(core: MediaCore, name: string): LiveRecording {
  const rec = core.liveRecordings.get(name);
  if (!rec) throw new CoreError('RECORDING_NOT_FOUND', 'Recording not found');
  return rec;
}

export function getLiveRecording(core: MediaCore, name: string): LiveRecordingSnapshot {
  return live(core, name).snapshot();
}

export function stopRecording(core: MediaCore, name: string): void {
  live(core, name);
  core.engine.stopRecording(name);
}

/** DELETE /recordings/live/{name}: stop and throw the file away. */
export function cancelRecording(core: MediaCore, name: string): void {
  live(core, name);
  core.engine.stopRecording(name, { discard: true });
}

export function pauseRecording(core: MediaCore, name: string, pause: boolean): void {
  const rec = live(core, name);
  if (rec.state !== 'recording' && rec.state !== 'paused')
    throw new CoreError('RECORDING_NOT_RECORDING', 'Recording not in session');
  if (pause && rec.state === 'recording') {
    core.engine.pauseRecording(name);
    rec.state = 'paused';
  } else if (!pause && rec.state === 'paused') {
    core.engine.unpauseRecording(name);
    rec.state = 'recording';
    publishRecording(core, rec, 'RecordingStarted');
  }
}

export function muteRecording(core: MediaCore, name: string, muted: boolean): void {
  const rec = live(core, name);
  if (rec.state !== 'recording' && rec.state !== 'paused')
    throw new CoreError('RECORDING_NOT_RECORDING', 'Recording not in session');
  core.engine.muteRecording(name, muted);
  rec.muted = muted;
}
