import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { runHotline } from '../../test/helpers/cli.js';
import { freeSipPort, freeTcpPort } from '../../test/helpers/ports.js';
import { checkNode, checkSystemPackages, formatDoctor, runDoctor } from './doctor.js';

describe('hotline doctor', () => {
  let t: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await testDatabase();
    const sip = await freeSipPort();
    env = {
      HOTLINE_DATABASE_URL: t.url,
      HOTLINE_API_PORT: String(await freeTcpPort()),
      HOTLINE_ARI_URL: `http://127.0.0.1:${await freeTcpPort()}`,
      HOTLINE_MEDIA_SIP_UDP_PORT: String(sip),
      HOTLINE_MEDIA_SIP_TCP_PORT: String(sip),
    };
  });
  afterAll(() => t.drop());

  it('reports Postgres, Redis, migrations and ports as ok on a ready machine', async () => {
    const results = await runDoctor(env);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    for (const name of [
      'node',
      'config',
      'postgres',
      'migrations',
      'redis',
      'port API',
      'port ARI',
      'port SIP/UDP',
      'port SIP/TCP',
    ])
      expect(byName[name]?.status, `${name}: ${byName[name]?.detail}`).toBe('ok');
  });

  it('says how to fix an unreachable Redis and exits non-zero', async () => {
    const dead = await freeTcpPort();
    const result = await runHotline(['doctor'], { ...env, HOTLINE_REDIS_URL: `redis://127.0.0.1:${dead}` });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`FAIL  redis +redis://127\\.0\\.0\\.1:${dead}: .*ECONNREFUSED`));
    expect(result.stdout).toMatch(/fix: bash scripts\/start-services\.sh, or set HOTLINE_REDIS_URL/);
    expect(result.stdout).toMatch(/ok {4}postgres/);
  });

  it('names a missing database and how to create it', async () => {
    const result = await runDoctor({
      ...env,
      HOTLINE_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/hotline_no_such_db',
    });
    const pg = result.find((r) => r.name === 'postgres');
    expect(pg?.status).toBe('fail');
    expect(pg?.detail).toMatch(/database "hotline_no_such_db" does not exist/);
    expect(pg?.fix).toMatch(/start-services\.sh/);
  });

  it('reports a port already in use with the variable that moves it', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    const port = await freeTcpPort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const results = await runDoctor({ ...env, HOTLINE_API_PORT: String(port) });
      const api = results.find((r) => r.name === 'port API');
      expect(api).toMatchObject({ status: 'fail' });
      expect(api?.detail).toMatch(/in use/);
      expect(api?.fix).toMatch(/HOTLINE_API_PORT/);
    } finally {
      server.close();
    }
  });

  it('stops at a bad configuration and names the variable', async () => {
    const result = await runHotline(['doctor'], { ...env, HOTLINE_API_PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /FAIL {2}config +Invalid configuration:\n.*HOTLINE_API_PORT: expected a number, got "eighty"/,
    );
  });

  it('gives the apt-get command for a missing system package', () => {
    const [missing] = checkSystemPackages([
      { pkg: 'no-such-pkg', probe: 'no-such-command-xyz', neededBy: 'start' },
    ]);
    expect(missing).toMatchObject({ status: 'fail', fix: 'apt-get install -y no-such-pkg' });
    const [present] = checkSystemPackages([{ pkg: 'coreutils', probe: 'ls', neededBy: 'start' }]);
    expect(present?.status).toBe('ok');
  });

  it('refuses a Node.js older than 20.12', () => {
    expect(checkNode('18.19.0').status).toBe('fail');
    expect(checkNode('20.12.0').status).toBe('ok');
    expect(checkNode('22.1.0').status).toBe('ok');
  });

  it('ends its report with whether Hotline can start', () => {
    expect(formatDoctor([{ name: 'x', status: 'ok', detail: 'fine' }])).toMatch(/Ready to start; 0 warning/);
    expect(formatDoctor([{ name: 'x', status: 'fail', detail: 'bad', fix: 'do y' }])).toMatch(
      /fix: do y\n\n1 problem/,
    );
  });
});
