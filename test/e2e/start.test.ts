import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { exitOf, runHotline, spawnHotline } from '../helpers/cli.js';
import { freeSipPort, freeTcpPort } from '../helpers/ports.js';

describe('hotline start', () => {
  let t: TestDatabase;
  let env: Record<string, string>;
  let apiPort: number;
  beforeAll(async () => {
    t = await testDatabase();
    apiPort = await freeTcpPort();
    const sip = await freeSipPort();
    env = {
      HOTLINE_DATABASE_URL: t.url,
      HOTLINE_API_PORT: String(apiPort),
      HOTLINE_ARI_URL: `http://127.0.0.1:${await freeTcpPort()}`,
      HOTLINE_MEDIA_SIP_UDP_PORT: String(sip),
      HOTLINE_MEDIA_SIP_TCP_PORT: String(sip),
    };
  });
  afterAll(() => t.drop());

  it('serves a healthy API and stops cleanly on SIGTERM', async () => {
    const { child, output } = await spawnHotline(['start'], env, /Hotline API listening/);
    const res = await fetch(`http://127.0.0.1:${apiPort}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    expect(output()).toMatch(/"msg":"stopping"/);
  });

  it('refuses to start with a bad setting and names it', async () => {
    const result = await runHotline(['start'], { ...env, HOTLINE_MEDIA_RTP_PORT_MAX: '-1' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/HOTLINE_MEDIA_RTP_PORT_MAX \(media\.rtpPortMax\): /);
  });

  it('applies migrations with `hotline db migrate`, and again finds nothing to do', async () => {
    const result = await runHotline(['db', 'migrate'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Database is up to date/);
  });
});
