// Shared by the routing end-to-end tests: agents' phones (headless baresip that registers with the
// media server and answers by itself, or never), and the routing log read back from Redis.
import { rowOf } from '../../src/routing/queue-log.js';
import type { Redis, RedisKeys } from '../../src/store/index.js';
import { startBaresip, type BaresipOptions } from '../sipp/harness.js';

export interface AgentPhone {
  user: string;
  /** Incoming calls the phone saw (it logs each one). */
  incoming(): number;
  log(): string;
  stop(): Promise<void>;
}

/**
 * A baresip phone registered as `user`. `answer: 'auto'` picks up every call; `'never'` lets it
 * ring (the agent who does not answer). Resolves once the registration is accepted.
 */
export async function startAgentPhone(
  options: Omit<BaresipOptions, 'answer'> & { answer: 'auto' | 'never' },
): Promise<AgentPhone> {
  const phone = await startBaresip({ ...options, answer: options.answer === 'auto' ? 'auto' : 'manual' });
  try {
    await phone.waitFor(/200 OK/, 20_000);
  } catch (err) {
    await phone.stop();
    throw new Error(`baresip ${options.user} did not register: ${(err as Error).message}`, { cause: err });
  }
  return {
    user: options.user,
    // "Incoming call from" when it only rings, "answering call ... from" when it picks up by itself
    incoming: () => (phone.log().match(/Incoming call from|answering call on line/g) ?? []).length,
    log: () => phone.log(),
    stop: () => phone.stop(),
  };
}

export interface LoggedEvent {
  event: string;
  queue: string;
  callId: string;
  agent: string;
  waitMs: number | null;
  data: Record<string, unknown>;
}

/** Every routing event so far (the stream every routing script appends to), oldest first. */
export async function routingLog(redis: Redis, keys: RedisKeys): Promise<LoggedEvent[]> {
  const entries = await redis.xrange(keys.routingLog(), '-', '+');
  return entries.map(([id, fields]) => {
    const row = rowOf(id, fields);
    return {
      event: row.event,
      queue: row.queue ?? '',
      callId: row.callId ?? '',
      agent: row.agent ?? '',
      waitMs: row.waitMs,
      data: row.data,
    };
  });
}

export { eventually } from './ivr-helpers.js';
