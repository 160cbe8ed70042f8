// One way to connect to Redis, shared by plain commands, Lua scripts, streams and BullMQ.
import { Redis, type RedisOptions } from 'ioredis';
import type { HotlineConfig } from '../config.js';

export type { Redis } from 'ioredis';

/**
 * `blocking` connections (BullMQ workers, XREAD BLOCK) must never give up on a command, so
 * BullMQ requires maxRetriesPerRequest: null for them.
 */
export function createRedis(
  config: Pick<HotlineConfig, 'redis'>,
  opts: { blocking?: boolean; name?: string; failFast?: boolean } = {},
): Redis {
  const options: RedisOptions = {
    connectionName: opts.name ? `hotline:${opts.name}` : 'hotline',
    maxRetriesPerRequest: opts.blocking ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
    // failFast: one attempt, for checks that must answer now rather than wait for Redis.
    ...(opts.failFast ? { retryStrategy: () => null, maxRetriesPerRequest: 0 } : {}),
  };
  return new Redis(config.redis.url, options);
}
