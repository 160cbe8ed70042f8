import { afterAll, describe, expect, it } from 'vitest';
import { testRedis } from '../../test/helpers/redis.js';
import { freeTcpPort } from '../../test/helpers/ports.js';
import { createRedis } from './redis.js';
import { RedisKeys } from './keys.js';

describe('Redis', () => {
  const t = testRedis();
  afterAll(() => t.cleanup());

  it('connects to the real server and round-trips a key under the prefix', async () => {
    expect(await t.redis.ping()).toBe('PONG');
    const key = t.keys.call('abc');
    expect(key).toBe(`${t.prefix}:call:abc`);
    await t.redis.hset(key, { state: 'ivr' });
    expect(await t.redis.hget(key, 'state')).toBe('ivr');
  });

  it('builds every key under the configured prefix', () => {
    const keys = new RedisKeys('site-a');
    expect([keys.call('x'), keys.eventsStream(), keys.bullPrefix]).toEqual([
      'site-a:call:x',
      'site-a:events',
      'site-a:bull',
    ]);
  });

  it('fails a command with a clear error when Redis cannot be reached', async () => {
    const port = await freeTcpPort();
    const redis = createRedis({ redis: { url: `redis://127.0.0.1:${port}`, keyPrefix: 'x' } });
    redis.on('error', () => undefined);
    await expect(redis.ping()).rejects.toThrow(/ECONNREFUSED|max retries|Connection is closed/i);
    redis.disconnect();
  });
});
