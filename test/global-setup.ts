// Once per test run: a template database with every migration applied, from which each test
// file clones its own database (CREATE DATABASE ... TEMPLATE is fast), so test files never see
// each other's rows. Dropped at the end of the run.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../src/store/migrate.js';
import { adminUrl, databaseUrl, dropDatabase } from './helpers/pg-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const template = `hotline_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: databaseUrl(template), max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  project.provide('templateDatabase', template);
  return async () => {
    await dropDatabase(template);
  };
}
