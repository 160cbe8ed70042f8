// Playing media to channels and bridges, and controlling playbacks (DELETE /playbacks/{id},
// POST /playbacks/{id}/control), with Asterisk 22's rules: a channel plays one playback at a
// time through its command queue; a playlist plays item by item; an item that cannot be found
// fails (or continues to the next); an unknown scheme is skipped without a final event; only
// sound, recording and tone items can be stopped, paused or moved in.
import type { MediaTarget } from '../engine/contract.js';
import { eventBody } from './applications.js';
import { refreshTechnology } from './bridges.js';
import { ChannelState } from './channel-state.js';
import { QueueClosedError } from './control-queue.js';
import type { MediaCore } from './core.js';
import { badRequest, CoreError } from './errors.js';
import { newUuid } from './ids.js';
import {
  type ItemResult,
  Playback,
  playbackEventType,
  type PlaybackInternalState,
  type PlaybackSnapshot,
} from './playback.js';

/** Asterisk's default skip for forward/reverse. */
const DEFAULT_SKIP_MS = 3000;

export interface PlayRequest {
  media: string[];
  lang?: string;
  offsetms?: number;
  skipms?: number;
  playbackId?: string;
}

function checkPlayRequest(core: MediaCore, req: PlayRequest): void {
  if ((req.skipms ?? 0) < 0) throw badRequest('skipms cannot be negative');
  if ((req.offsetms ?? 0) < 0) throw badRequest('offsetms cannot be negative');
  // Asterisk answers 500 "Failed to queue media for playback" here; a 400 says what is wrong.
  if (!req.media.length || req.media.some((m) => !m))
    throw badRequest('Failed to queue media for playback: media is required');
  if (req.playbackId && core.playbacks.has(req.playbackId))
    throw new CoreError('CONFLICT', `Playback with id '${req.playbackId}' already exists`);
}

/** POST /channels/{id}/play: queued now, played when the channel's earlier commands are done. */
export function playOnChannel(core: MediaCore, channelId: string, req: PlayRequest): PlaybackSnapshot {
  const ch = core.control(channelId);
  core.assertStateValid(ch);
  checkPlayRequest(core, req);
  const pb = new Playback(
    req.playbackId || newUuid(),
    req.media,
    req.lang || ch.language,
    { channel: ch.id },
    req.offsetms ?? 0,
    req.skipms || DEFAULT_SKIP_MS,
  );
  core.playbacks.set(pb.id, pb);
  const snapshot = pb.snapshot();
  ch.control
    .run(() => runPlayback(core, pb))
    .catch((err: unknown) => {
      core.playbacks.delete(pb.id);
      if (!(err instanceof QueueClosedError)) core.log.error({ err, playback: pb.id }, 'playback failed');
    });
  return snapshot;
}

/** POST /bridges/{id}/play: bridge playbacks play one after another to every member. */
export function playOnBridge(core: MediaCore, bridgeId: string, req: PlayRequest): PlaybackSnapshot {
  const bridge = core.bridge(bridgeId);
  checkPlayRequest(core, req);
  const pb = new Playback(
    req.playbackId || newUuid(),
    req.media,
    req.lang || core.settings.defaultLanguage,
    { bridge: bridge.id },
    req.offsetms ?? 0,
    req.skipms || DEFAULT_SKIP_MS,
  );
  core.playbacks.set(pb.id, pb);
  const snapshot = pb.snapshot();
  bridge.playbackQueue
    .run(() => runPlayback(core, pb))
    .catch((err: unknown) => {
      core.playbacks.delete(pb.id);
      if (!(err instanceof QueueClosedError)) core.log.error({ err, playback: pb.id }, 'playback failed');
    });
  return snapshot;
}

function publishPlayback(core: MediaCore, pb: Playback): void {
  const type = playbackEventType(pb.state);
  if (!type) return;
  const target =
    'channel' in pb.target ? core.channels.get(pb.target.channel) : core.bridges.get(pb.target.bridge);
  core.publish(eventBody(type, { playback: pb.snapshot() }), [target?.subscribers]);
}

function targetGone(core: MediaCore, pb: Playback): boolean {
  if ('channel' in pb.target) {
    const ch = core.channels.get(pb.target.channel);
    return !ch || ch.hangingUp;
  }
  const br = core.bridges.get(pb.target.bridge);
  return !br || br.destroyed;
}

async function runPlayback(core: MediaCore, pb: Playback): Promise<void> {
  let settle!: () => void;
  pb.settled = new Promise((resolve) => (settle = resolve));
  const ch = 'channel' in pb.target ? core.channels.get(pb.target.channel) : undefined;
  const bridge = 'bridge' in pb.target ? core.bridges.get(pb.target.bridge) : undefined;
  if (ch) ch.activePlayback = pb;
  if (bridge) {
    bridge.announcing = true;
    refreshTechnology(core, bridge);
  }
  try {
    // Prompts before the answer go out as early media (183), as Asterisk indicates progress.
    if (ch && ch.state !== ChannelState.Up && !ch.earlyMedia) {
      ch.earlyMedia = true;
      ch.driver.indicateProgress();
    }
    await playItems(core, pb);
  } finally {
    if (ch && ch.activePlayback === pb) ch.activePlayback = null;
    if (bridge && !bridge.destroyed) {
      bridge.announcing = false;
      refreshTechnology(core, bridge);
    }
    core.playbacks.delete(pb.id);
    settle();
  }
}

async function playItems(core: MediaCore, pb: Playback): Promise<void> {
  const target: MediaTarget =
    'channel' in pb.target ? { endpoint: pb.target.channel } : { mixer: pb.target.bridge };
  for (let i = 0; i < pb.medias.length; i++) {
    pb.index = i;
    if (pb.state === 'canceled') {
      // Stopped while queued: Asterisk reports it finished ("done") without ever starting it.
      publishPlayback(core, pb);
      return;
    }
    if (targetGone(core, pb)) return;
    pb.state = 'playing';
    publishPlayback(core, pb);
    const resolved = core.media.resolve(pb.mediaUri, {
      language: pb.language,
      sampleRate: sampleRateOf(core, pb),
    });
    if (resolved.kind === 'unsupported') continue;
    if (resolved.controllable) pb.controllable = true;
    const result: ItemResult =
      resolved.kind === 'missing'
        ? 'error'
        : await playOneItem(core, pb, target, resolved.entry, i === 0 ? pb.offsetMs : 0);
    const hangup = result === 'hangup' || targetGone(core, pb);
    // A stop request may have changed the state while the item played.
    const stopped = (pb.state as PlaybackInternalState) === 'stopped';
    if (result === 'done' && !stopped) pb.state = pb.isLast || hangup ? 'complete' : 'continuing';
    else if (!stopped) pb.state = pb.isLast || hangup ? 'failed' : 'continuing';
    publishPlayback(core, pb);
    if (hangup || stopped) return;
  }
}

function sampleRateOf(core: MediaCore, pb: Playback): number {
  if (!('channel' in pb.target)) return 8000;
  const codec = core.channels.get(pb.target.channel)?.driver.codec();
  return codec === 'G722' || codec === 'L16' ? 16000 : 8000;
}

async function playOneItem(
  core: MediaCore,
  pb: Playback,
  target: MediaTarget,
  entry: import('../engine/contract.js').PlaylistEntry,
  offsetMs: number,
): Promise<ItemResult> {
  const engineId = `${pb.id}#${pb.index}`;
  const engineDone = new Promise<ItemResult>((resolve) => {
    core.engineWaiters.set(engineId, (event) => {
      if (event.type !== 'playback') return;
      if (event.state === 'done') resolve('done');
      else if (event.state === 'failed') resolve('error');
      else if (event.state === 'cancelled') resolve(pb.state === 'stopped' ? 'stopped' : 'hangup');
    });
  });
  pb.engineId = engineId;
  try {
    core.engine.play(engineId, target, [entry], { offsetMs, skipMs: pb.skipMs });
    if (pb.state === 'paused') core.engine.controlPlayback(engineId, 'pause');
    const result = await pb.awaitItem(engineDone);
    if (result === 'hangup' || result === 'stopped') stopQuietly(core, engineId);
    return result;
  } catch (err) {
    core.log.warn({ err, playback: pb.id, media: pb.mediaUri }, 'the engine could not play an item');
    return 'error';
  } finally {
    core.engineWaiters.delete(engineId);
    pb.engineId = null;
  }
}

function stopQuietly(core: MediaCore, engineId: string): void {
  try {
    core.engine.stopPlayback(engineId);
  } catch {
    // Already gone with its endpoint.
  }
}

export function getPlayback(core: MediaCore, id: string): PlaybackSnapshot {
  return findPlayback(core, id).snapshot();
}

function findPlayback(core: MediaCore, id: string): Playback {
  const pb = core.playbacks.get(id);
  if (!pb) throw new CoreError('PLAYBACK_NOT_FOUND', 'Playback not found');
  return pb;
}

/** DELETE /playbacks/{id}. */
export function stopPlayback(core: MediaCore, id: string): void {
  const pb = findPlayback(core, id);
  switch (pb.state) {
    case 'queued':
      pb.state = 'canceled';
      return;
    case 'playing':
    case 'continuing':
    case 'paused':
      // Asterisk answers 500 "Could not stop playback" here; a 409 says why.
      if (!pb.controllable)
        throw new CoreError(
          'PLAYBACK_NOT_CONTROLLABLE',
          'Could not stop playback: a digits:, number: or characters: item cannot be stopped',
        );
      pb.state = 'stopped';
      pb.interrupt('stopped');
      return;
    default:
      return;
  }
}

export type PlaybackOperation = 'pause' | 'unpause' | 'restart' | 'reverse' | 'forward';
const OPERATIONS: readonly string[] = ['pause', 'unpause', 'restart', 'reverse', 'forward'];

/** POST /playbacks/{id}/control. */
export function controlPlayback(core: MediaCore, id: string, operation: string | undefined): void {
  if (!operation) throw badRequest('Missing operation');
  if (!OPERATIONS.includes(operation)) throw badRequest(`Invalid operation ${operation}`);
  const pb = findPlayback(core, id);
  const op = operation as PlaybackOperation;
  const notPlaying = () => new CoreError('PLAYBACK_NOT_PLAYING', `Can only ${op} while media is playing`);
  const allowed: Record<string, readonly PlaybackOperation[]> = {
    queued: ['restart'],
    playing: OPERATIONS as PlaybackOperation[],
    continuing: OPERATIONS as PlaybackOperation[],
    paused: ['pause', 'unpause'],
  };
  if (!(allowed[pb.state] ?? []).includes(op)) throw notPlaying();
  if (pb.state === 'queued') return;
  if ((op === 'unpause' && pb.state !== 'paused') || (op === 'pause' && pb.state === 'paused')) return;
  // Asterisk answers 500 "Could not <op> playback" for these; a 409 says why.
  if (!pb.controllable)
    throw new CoreError(
      'PLAYBACK_NOT_CONTROLLABLE',
      `Could not ${op} playback: only sound, recording and tone media can be controlled`,
    );
  if (pb.engineId) core.engine.controlPlayback(pb.engineId, op);
  if (op === 'pause') pb.state = 'paused';
  else if (op === 'unpause') {
    pb.state = 'playing';
    publishPlayback(core, pb);
  }
}
