// A fresh, migrated Postgres database for one test file: `const t = await testDatabase()` in
// beforeAll, `await t.drop()` in afterAll.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../../src/store/index.js';
import { adminUrl, databaseUrl, dropDatabase } from './pg-admin.js';

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const name = `hotline_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const db = createDb({ database: { url, poolSize: 5 } });
  return {
    name,
    url,
    db,
    async drop() {
      await db.end();
      await dropDatabase(name);
    },
  };
}

/** An empty database (no migrations), for testing the migration runner itself. */
export async function emptyDatabase(): Promise<TestDatabase> {
  const name = `hotline_empty_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const db = createDb({ database: { url, poolSize: 5 } });
  return {
    name,
    url,
    db,
    async drop() {
      await db.end();
      await dropDatabase(name);
    },
  };
}
