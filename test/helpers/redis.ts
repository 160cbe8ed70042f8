// A Redis connection whose keys live under a prefix of their own, deleted afterwards.
import { randomUUID } from 'node:crypto';
import { createRedis, RedisKeys, type Redis } from '../../src/store/index.js';

export interface TestRedis {
  url: string;
  prefix: string;
  redis: Redis;
  keys: RedisKeys;
  cleanup(): Promise<void>;
}

export function testRedis(): TestRedis {
  const url = process.env.HOTLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `test-${randomUUID()}`;
  const redis = createRedis({ redis: { url, keyPrefix: prefix } });
  return {
    url,
    prefix,
    redis,
    keys: new RedisKeys(prefix),
    async cleanup() {
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (found.length) await redis.del(...found);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
