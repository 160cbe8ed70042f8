// The AppContext a module gets from app.ts, over a test's own database and Redis key prefix.
import { loadConfig, type HotlineConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { HotlineEvents } from '../../src/events.js';
import { silentLogger } from '../../src/logger.js';
import type { TestDatabase } from './db.js';
import type { TestRedis } from './redis.js';

export function testContext(
  t: TestDatabase,
  r: TestRedis,
  extra: { config?: HotlineConfig; log?: AppContext['log'] } = {},
): AppContext {
  return {
    config: extra.config ?? loadConfig({}),
    log: extra.log ?? silentLogger,
    db: t.db,
    redis: r.redis,
    keys: r.keys,
    events: new HotlineEvents(),
  };
}
