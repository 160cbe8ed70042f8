// Builds a core and an ARI server over the fakes of our SIP and engine contracts, on a free
// loopback port, for unit tests of the ARI layer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../logger.js';
import { Dialplan, dialplanSchema, MediaCore, startCore, stopCore } from '../core/index.js';
import { FakeEngine } from '../core/testing/fake-engine.js';
import { FakeSipServer } from '../core/testing/fake-sip.js';
import { startAriServer, type AriServer } from './server.js';

export interface AriFixture {
  core: MediaCore;
  sip: FakeSipServer;
  engine: FakeEngine;
  server: AriServer;
  url: string;
  dir: string;
  close(): Promise<void>;
}

export const LAB_DIALPLAN = {
  routes: [
    { endpoint: '*', context: 'from-agent' },
    { address: '127.0.0.1', name: 'caller', context: 'from-caller' },
  ],
  contexts: {
    'from-caller': [{ exten: '_X.', app: 'hotline', args: ['${EXTEN}'], priority: 2 }],
    'from-agent': [],
  },
};

export async function ariFixture(): Promise<AriFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hotline-ari-'));
  const sounds = path.join(dir, 'sounds');
  for (const f of [
    'en/hello-world.wav',
    'en/demo-congrats.wav',
    'en/digits/1.wav',
    'en/digits/2.wav',
    'en/digits/hundred.wav',
    'en/letters/a.wav',
  ]) {
    mkdirSync(path.dirname(path.join(sounds, f)), { recursive: true });
    writeFileSync(path.join(sounds, f), 'RIFF');
  }
  mkdirSync(path.join(dir, 'moh'));
  writeFileSync(path.join(dir, 'moh', 'song.wav'), 'RIFF');
  const sip = new FakeSipServer([
    { name: 'agent1', kind: 'endpoint', state: 'online', contacts: ['sip:agent1@127.0.0.1:5090'] },
    { name: 'agent2', kind: 'endpoint', state: 'offline', contacts: [] },
  ]);
  const engine = new FakeEngine();
  const core = new MediaCore(
    sip,
    engine,
    new Dialplan(dialplanSchema.parse(LAB_DIALPLAN)),
    {
      bindAddress: '127.0.0.1',
      maxCalls: 3,
      soundsDirs: [sounds],
      mohClasses: { default: path.join(dir, 'moh') },
      recordingsDir: path.join(dir, 'recordings'),
      defaultLanguage: 'en',
      asteriskId: '02:42:ac:11:00:02',
      defaultDialTimeoutS: 30,
    },
    silentLogger,
  );
  startCore(core);
  const server = await startAriServer(core, {
    host: '127.0.0.1',
    port: 0,
    users: [{ username: 'hotline', password: 'hotline' }],
    log: silentLogger,
  });
  return {
    core,
    sip,
    engine,
    server,
    url: server.url,
    dir,
    async close() {
      await stopCore(core);
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain ARI request as a controller would make it. */
export async function ari(
  url: string,
  method: string,
  p: string,
  query: Record<string, string | number | boolean> = {},
  auth = 'hotline:hotline',
): Promise<{ status: number; body: unknown }> {
  const qs = new URLSearchParams(
    Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  const res = await fetch(`${url}/ari${p}${qs ? `?${qs}` : ''}`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
  });
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body };
}
