import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { listMigrations, migrate } from './migrate.js';

describe('migrations on the real Postgres', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await emptyDatabase();
  });
  afterEach(async () => {
    await t.drop();
  });

  it('applies every migration to an empty database and creates the call tables', async () => {
    const result = await migrate(t.db);
    expect(result.applied).toEqual(listMigrations());
    expect(result.applied[0]).toBe('001_calls.sql');
    const { rows } = await t.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['call_events', 'calls', 'schema_migrations']),
    );
  });

  it('applies nothing the second time', async () => {
    await migrate(t.db);
    const again = await migrate(t.db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(listMigrations());
  });

  it('is safe when two nodes migrate at once', async () => {
    const [a, b] = await Promise.all([migrate(t.db), migrate(t.db)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(listMigrations());
  });

  it('rolls a failing migration back and names it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-migrations-'));
    writeFileSync(path.join(dir, '001_ok.sql'), 'CREATE TABLE ok_table (id int);');
    writeFileSync(
      path.join(dir, '002_broken.sql'),
      'CREATE TABLE half (id int); SELECT * FROM no_such_table;',
    );
    await expect(migrate(t.db, dir)).rejects.toThrow(/migration 002_broken\.sql failed: .*no_such_table/);
    const { rows } = await t.db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('ok_table', 'half')",
    );
    expect(rows.map((r) => r.name)).toEqual(['ok_table']);
    const applied = await t.db.query<{ name: string }>('SELECT name FROM schema_migrations');
    expect(applied.rows.map((r) => r.name)).toEqual(['001_ok.sql']);
  });
});
