// The store module's public face: Postgres pool and migrations, Redis connections and key names,
// and the call record every module writes to.
export { createDb, inTransaction, type Db } from './db.js';
export { migrate, listMigrations, migrationsDir, type MigrationResult } from './migrate.js';
export { createRedis, type Redis } from './redis.js';
export { RedisKeys, ROUTING_KEYS, routingLuaKeyFunctions, type RoutingKeyKind } from './keys.js';
export {
  recordCallStart,
  updateCall,
  recordCallEvent,
  callEvents,
  type CallStart,
  type CallUpdate,
  type CallEvent,
} from './calls.js';
export { CallEventWriter } from './call-event-writer.js';
