// What every module's start function is given: configuration, logger and the shared
// connections. Modules return a Service so the process can stop them in reverse order.
import type { HotlineConfig } from './config.js';
import type { HotlineEvents } from './events.js';
import type { Logger } from './logger.js';
import type { Db, Redis, RedisKeys } from './store/index.js';

export interface AppContext {
  config: HotlineConfig;
  log: Logger;
  db: Db;
  redis: Redis;
  keys: RedisKeys;
  /** In-process domain events between modules. */
  events: HotlineEvents;
}

export interface Service {
  name: string;
  stop(): Promise<void>;
}
