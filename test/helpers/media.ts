// The embedded media server in-process on free loopback ports, for end-to-end tests with real
// SIP peers (sipp, baresip) and a controller on ari-client.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema, type HotlineConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import {
  parseMediaFileConfig,
  startMediaServer,
  type MediaCounts,
  type MediaServer,
} from '../../src/media/index.js';
import { freeUdpRange } from '../sipp/harness.js';
import { projectRoot } from './cli.js';
import { freeSipPort, freeTcpPort } from './ports.js';

export interface TestMediaServer {
  server: MediaServer;
  config: HotlineConfig;
  ariUrl: string;
  sipPort: number;
  recordingsDir: string;
  stop(): Promise<void>;
}

export const E2E_SIP_FILE = {
  endpoints: [
    { name: 'agent1', password: 'secret1' },
    { name: 'agent2', password: 'secret2' },
  ],
  dialplan: {
    routes: [
      { endpoint: '*', context: 'from-agent' },
      { address: '127.0.0.1', name: 'caller', context: 'from-caller' },
    ],
    contexts: {
      // Published numbers only: anything else is an unknown number (404).
      'from-caller': [{ exten: '_1XXX', app: 'hotline', args: ['${EXTEN}'], priority: 2 }],
      'from-agent': [],
    },
  },
};

export async function startTestMediaServer(
  media: Partial<HotlineConfig['media']> = {},
): Promise<TestMediaServer> {
  const ariPort = await freeTcpPort();
  const sipPort = await freeSipPort();
  const rtpBase = await freeUdpRange(300);
  const recordingsDir = mkdtempSync(path.join(os.tmpdir(), 'hotline-e2e-rec-'));
  const config = configSchema.parse({
    home: projectRoot,
    ari: { mode: 'embedded', url: `http://127.0.0.1:${ariPort}` },
    media: {
      bindAddress: '127.0.0.1',
      sipUdpPort: sipPort,
      sipTcpPort: sipPort,
      rtpPortMin: rtpBase,
      rtpPortMax: rtpBase + 299,
      soundsDirs: ['/usr/share/asterisk/sounds'],
      mohClasses: { default: '/usr/share/asterisk/moh' },
      recordingsDir,
      ...media,
    },
  });
  const server = await startMediaServer(config, silentLogger, {
    file: parseMediaFileConfig(E2E_SIP_FILE),
    sipTimers: { t1: 25 },
  });
  return {
    server,
    config,
    ariUrl: server.ariUrl,
    sipPort: server.sipUdpPort,
    recordingsDir,
    stop: () => server.stop(),
  };
}

const IDLE_KEYS = [
  'channels',
  'bridges',
  'playbacks',
  'liveRecordings',
  'transactions',
  'dialogs',
  'endpoints',
  'mixers',
  'enginePlaybacks',
  'engineRecordings',
  'ports',
] as const;

/** The registries that must be empty between calls (registrations and TCP connections may stay). */
export function callRegistries(counts: MediaCounts): Record<string, number> {
  return Object.fromEntries(IDLE_KEYS.map((k) => [k, counts[k]]));
}

export const EMPTY = Object.fromEntries(IDLE_KEYS.map((k) => [k, 0]));

/** Waits (a bounded time) until the call registries are empty, and returns them. */
export async function waitForEmpty(server: MediaServer, ms = 15_000): Promise<Record<string, number>> {
  const until = Date.now() + ms;
  for (;;) {
    const counts = callRegistries(await server.counts());
    if (JSON.stringify(counts) === JSON.stringify(EMPTY) || Date.now() > until) return counts;
    await new Promise((r) => setTimeout(r, 50));
  }
}
