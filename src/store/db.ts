// The Postgres pool. One per process; every module's queries take it as a parameter.
import pg from 'pg';
import type { HotlineConfig } from '../config.js';

export type Db = pg.Pool;

export function createDb(config: Pick<HotlineConfig, 'database'>): Db {
  const pool = new pg.Pool({ connectionString: config.database.url, max: config.database.poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `fn` in a transaction, rolling back if it throws. */
export async function inTransaction<T>(db: Db, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
