// The hotline as `hotline start` runs it (embedded media server, ARI, IVR, routing, API; the real
// Postgres and Redis), set up for one end-to-end test file: its own database, Redis key prefix,
// free SIP/API/ARI ports and RTP range, a work folder for flows, recordings and the TTS cache, and
// the shipped demo flow opened around the clock so a test does not depend on the hour.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { startHotline, type RunningHotline } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../helpers/cli.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { freeSipPort, freeTcpPort } from '../helpers/ports.js';
import { testRedis, type TestRedis } from '../helpers/redis.js';
import { freeUdpRange } from '../sipp/harness.js';

export interface DemoHotline {
  hotline: RunningHotline;
  database: TestDatabase;
  redis: TestRedis;
  sipPort: number;
  /** The test's own folder (flows/, recordings/, tts/ and whatever the test writes). */
  work: string;
  /** Stops the hotline and removes its database, Redis keys and folder. */
  stop(): Promise<void>;
}

export interface DemoHotlineOptions {
  /** Names the work folder (`hotline-<name>-…`). */
  name: string;
  /** Writes the flow files into `dir`; by default the demo flow of `openDemoFlow()`. */
  writeFlows?: (dir: string) => void;
  /** More settings (`HOTLINE_*`), given the work folder; they win over the defaults here. */
  env?: (work: string) => Record<string, string>;
  /** An environment variable that, when set, is the log level (for looking into a failing test). */
  logLevelFrom?: string;
}

/** The shipped demo flow, open around the clock. */
export function openDemoFlow(): Document {
  const demo = parseDocument(readFileSync(path.join(projectRoot, 'flows/demo.yaml'), 'utf8'));
  demo.setIn(['steps', 'hours', 'weekly'], { 'mon-sun': '00:00-24:00' });
  demo.setIn(['steps', 'hours', 'holidays'], []);
  return demo;
}

export async function startDemoHotline(o: DemoHotlineOptions): Promise<DemoHotline> {
  const database = await testDatabase();
  const redis = testRedis();
  const work = mkdtempSync(path.join(tmpdir(), `hotline-${o.name}-`));
  const cleanup = async () => {
    await redis.cleanup();
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const flows = path.join(work, 'flows');
    mkdirSync(flows);
    (o.writeFlows ?? ((dir) => writeFileSync(path.join(dir, 'demo.yaml'), openDemoFlow().toString())))(flows);
    const sipPort = await freeSipPort();
    const rtpBase = await freeUdpRange(100);
    const config = loadConfig({
      HOTLINE_HOME: projectRoot,
      HOTLINE_LOG_LEVEL: (o.logLevelFrom && process.env[o.logLevelFrom]) || 'warn',
      HOTLINE_LOG_PRETTY: 'false',
      HOTLINE_DATABASE_URL: database.url,
      HOTLINE_REDIS_KEY_PREFIX: redis.prefix,
      HOTLINE_API_PORT: String(await freeTcpPort()),
      HOTLINE_ARI_URL: `http://127.0.0.1:${await freeTcpPort()}`,
      HOTLINE_MEDIA_SIP_UDP_PORT: String(sipPort),
      HOTLINE_MEDIA_SIP_TCP_PORT: String(sipPort),
      HOTLINE_MEDIA_RTP_PORT_MIN: String(rtpBase),
      HOTLINE_MEDIA_RTP_PORT_MAX: String(rtpBase + 99),
      HOTLINE_MEDIA_RECORDINGS_DIR: path.join(work, 'recordings'),
      HOTLINE_IVR_FLOWS_DIR: flows,
      HOTLINE_IVR_TTS_CACHE_DIR: path.join(work, 'tts'),
      // Faster speech: the same flow, shorter prompts, quicker tests.
      HOTLINE_IVR_TTS_ESPEAK_SPEED: '300',
      ...o.env?.(work),
    });
    const hotline = await startHotline(config, createLogger(config));
    // Prompts made ahead, so callers' key timings meet the prompts they were written for.
    await hotline.ivr.warmedUp;
    return {
      hotline,
      database,
      redis,
      sipPort,
      work,
      stop: async () => {
        await hotline.stop();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
