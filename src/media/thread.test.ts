import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';
import { silentLogger } from '../logger.js';
import { projectRoot } from '../../test/helpers/cli.js';
import { freeSipPort, freeTcpPort } from '../../test/helpers/ports.js';
import { freeUdpRange } from '../../test/sipp/harness.js';
import { MediaConfigError, startMediaServerThread } from './index.js';

async function threadConfig(sipConfigFile?: string) {
  const sipPort = await freeSipPort();
  const rtpBase = await freeUdpRange(20);
  return configSchema.parse({
    home: projectRoot,
    log: { level: 'silent' },
    ari: { mode: 'embedded', url: `http://127.0.0.1:${await freeTcpPort()}` },
    media: {
      sipUdpPort: sipPort,
      sipTcpPort: sipPort,
      rtpPortMin: rtpBase,
      rtpPortMax: rtpBase + 19,
      recordingsDir: mkdtempSync(path.join(os.tmpdir(), 'hotline-thread-rec-')),
      ...(sipConfigFile ? { sipConfigFile } : {}),
    },
  });
}

describe('the media server in its own thread', () => {
  it('answers ARI from its thread, reports what it holds, and frees its ports when stopped', async () => {
    const config = await threadConfig();
    const server = await startMediaServerThread(config, silentLogger);
    const info = await fetch(`${server.ariUrl}/ari/asterisk/info`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${config.ari.username}:${config.ari.password}`).toString('base64')}`,
      },
    });
    expect(info.status).toBe(200);
    expect(await info.json()).toHaveProperty('system');
    const counts = await server.counts();
    expect(counts).toMatchObject({ channels: 0, bridges: 0, endpoints: 0 });
    await server.stop();
    // The same ports are free again: a second server binds them.
    const again = await startMediaServerThread(config, silentLogger);
    expect(again.ariUrl).toBe(server.ariUrl);
    await again.stop();
  });

  it('refuses a broken SIP configuration file with the file and what is wrong, as in-process', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hotline-thread-cfg-'));
    const file = path.join(dir, 'sip.yaml');
    writeFileSync(file, 'endpoints:\n  - { name: agent1 }\n  - { password: no-name }\n');
    const failure = await startMediaServerThread(await threadConfig(file), silentLogger).catch(
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(MediaConfigError);
    expect((failure as MediaConfigError).file).toBe(file);
    expect((failure as MediaConfigError).problems.join('\n')).toMatch(/name/);
  });
});
