// Domain events inside one controller process, typed, so modules react to each other without
// importing each other (routing connects a call → transcription starts forking its audio; a call
// ends → QA analyses it). `publishLive` also puts an event on the Redis stream that consoles and
// other nodes read.
import { EventEmitter } from 'node:events';
import type { Redis, RedisKeys } from './store/index.js';
import type { Party, TranscriptSegment } from './transcription/segment.js';

export interface HotlineEventMap {
  /** A call entered the hotline (StasisStart of an inbound channel). */
  'call.started': { callId: string; channelId: string; callerNumber: string; dialled: string };
  /** The caller's channel was answered. */
  'call.answered': { callId: string; channelId: string };
  /** Routing bridged the caller with an agent who answered. */
  'call.connected': {
    callId: string;
    callerChannelId: string;
    agentChannelId: string;
    agent: string;
    queue: string;
    bridgeId: string;
    language?: string;
  };
  /** The caller's channel is gone; `outcome` in the domain's words (completed, abandoned, voicemail, ...). */
  'call.ended': { callId: string; cause: number | null; outcome?: string };
  /** A transcript segment (interim or final). */
  'transcript.segment': TranscriptSegment;
  /** A call's recogniser failed (server error, connection lost, process crashed); see `code`. */
  'transcript.error': { callId: string; party: Party; provider: string; code: string; message: string };
}

export type HotlineEventName = keyof HotlineEventMap;

export class HotlineEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every module listens to a few events; many listeners are normal here.
    this.emitter.setMaxListeners(100);
  }

  emit<E extends HotlineEventName>(event: E, payload: HotlineEventMap[E]): void {
    this.emitter.emit(event, payload);
  }

  on<E extends HotlineEventName>(event: E, listener: (payload: HotlineEventMap[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}

/** Live events for consoles: one Redis stream, capped so it never grows without bound. */
export async function publishLive(
  redis: Redis,
  keys: RedisKeys,
  type: string,
  payload: Record<string, unknown>,
  maxLength = 100_000,
): Promise<string | null> {
  return redis.xadd(
    keys.eventsStream(),
    'MAXLEN',
    '~',
    maxLength,
    '*',
    'type',
    type,
    'data',
    JSON.stringify(payload),
  );
}
