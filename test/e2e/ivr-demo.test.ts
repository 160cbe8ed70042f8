// The demo hotline end to end: Hotline as `hotline start` runs it (embedded media server, ARI,
// IVR, API with the demo CRM, real Postgres and Redis), and sipp callers pressing keys with
// RFC 2833 DTMF. What each call went through is read back from call_events.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { startHotline, type RunningHotline } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { projectRoot } from '../helpers/cli.js';
import { freeSipPort, freeTcpPort } from '../helpers/ports.js';
import { testRedis, type TestRedis } from '../helpers/redis.js';
import { callsFrom, eventually, pressAfter, spokenMessage, startCaller, trailOf } from './ivr-helpers.js';

let t: TestDatabase;
let r: TestRedis;
let hotline: RunningHotline;
let sipPort: number;
let work: string;

/**
 * The demo flow with its business hours decided: always open (dialled 1000), or closed by a
 * holiday around today (dialled 2000). Everything else is the shipped flow.
 */
function demoVariants(dir: string): void {
  const text = readFileSync(path.join(projectRoot, 'flows/demo.yaml'), 'utf8');
  const open = parseDocument(text);
  open.setIn(['steps', 'hours', 'weekly'], { 'mon-sun': '00:00-24:00' });
  open.setIn(['steps', 'hours', 'holidays'], []);
  writeFileSync(path.join(dir, 'demo.yaml'), open.toString());
  const closed = parseDocument(text);
  const day = 86_400_000;
  const around = [-1, 0, 1].map((d) => new Date(Date.now() + d * day).toISOString().slice(0, 10));
  closed.set('name', 'demo-closed');
  closed.setIn(['steps', 'hours', 'holidays'], around);
  writeFileSync(path.join(dir, 'demo-closed.yaml'), closed.toString());
}

beforeAll(async () => {
  t = await testDatabase();
  r = testRedis();
  work = mkdtempSync(path.join(tmpdir(), 'hotline-ivr-e2e-'));
  const flows = path.join(work, 'flows');
  mkdirSync(flows);
  demoVariants(flows);
  sipPort = await freeSipPort();
  const rtpBase = 20_000 + Math.floor(Math.random() * 200) * 100;
  const config = loadConfig({
    HOTLINE_HOME: projectRoot,
    HOTLINE_LOG_LEVEL: process.env.IVR_E2E_LOG ?? 'warn',
    HOTLINE_LOG_PRETTY: 'false',
    HOTLINE_DATABASE_URL: t.url,
    HOTLINE_REDIS_KEY_PREFIX: r.prefix,
    HOTLINE_API_PORT: String(await freeTcpPort()),
    HOTLINE_ARI_URL: `http://127.0.0.1:${await freeTcpPort()}`,
    HOTLINE_MEDIA_SIP_UDP_PORT: String(sipPort),
    HOTLINE_MEDIA_SIP_TCP_PORT: String(sipPort),
    HOTLINE_MEDIA_RTP_PORT_MIN: String(rtpBase),
    HOTLINE_MEDIA_RTP_PORT_MAX: String(rtpBase + 99),
    HOTLINE_MEDIA_RECORDINGS_DIR: path.join(work, 'recordings'),
    HOTLINE_QA_ENABLED: 'false',
    // The IVR alone (no ACD): enqueue steps go to `unavailable`; routing has its own e2e tests.
    HOTLINE_ROUTING_ENABLED: 'false',
    HOTLINE_IVR_FLOWS_DIR: flows,
    HOTLINE_IVR_DID_FLOWS: JSON.stringify({ '2000': 'demo-closed' }),
    HOTLINE_IVR_TTS_CACHE_DIR: path.join(work, 'tts'),
    // Faster speech: the same flow, shorter prompts, a quicker test.
    HOTLINE_IVR_TTS_ESPEAK_SPEED: '300',
  });
  hotline = await startHotline(config, createLogger(config));
  // Prompts made ahead, so callers' key timings meet the prompts they were written for.
  await hotline.ivr.warmedUp;
});

afterAll(async () => {
  await hotline?.stop();
  await r?.cleanup();
  await t?.drop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The call from `number` once its record says it ended. */
async function endedCallFrom(number: string) {
  return eventually(async () => {
    const [call] = await callsFrom(t.db, number);
    return call?.ended_at ? call : null;
  }, 45_000);
}

// Independent callers (different numbers): they call at the same time, as callers do.
describe.concurrent('the demo hotline over SIP', () => {
  it('takes a VIP caller by DTMF to product-certified technical support and, with no agent, to voicemail', async () => {
    const caller = '+8613800138000';
    const sipp = startCaller({
      sipPort,
      dialled: '1000',
      from: caller,
      // 中文, technical support, latency; then talk into the voicemail and hang up
      actions: [
        ...pressAfter(1500, '1'),
        ...pressAfter(3000, '1'),
        ...pressAfter(3000, '3'),
        { pause: 7_000 },
        { speak: spokenMessage('Hello, my internet is very slow in the evening. Please call me back.') },
        { pause: 5_000 },
      ],
      end: 'bye',
    });
    const called = await sipp.done;
    expect(called.code, called.output).toBe(0);
    const call = await endedCallFrom(caller);
    const trail = await trailOf(t.db, call.id);
    expect(trail.map((s) => s.step)).toEqual([
      'answer',
      'init',
      'choose-language',
      'chinese',
      'lookup',
      'vip-check',
      'vip-priority',
      'vip-greeting',
      'hours',
      'main-menu',
      'tech-menu',
      'tech-queue',
      'no-agents',
      'voicemail',
    ]);
    expect(trail.find((s) => s.step === 'choose-language')).toMatchObject({ input: '1', result: 'option' });
    expect(trail.find((s) => s.step === 'lookup')).toMatchObject({ result: 'ok' });
    expect(trail.find((s) => s.step === 'main-menu')).toMatchObject({ input: '1', result: 'option' });
    expect(trail.find((s) => s.step === 'tech-menu')).toMatchObject({ input: '3', result: 'option' });
    expect(trail.find((s) => s.step === 'tech-queue')).toMatchObject({
      result: 'no-router',
      next: 'no-agents',
    });
    expect(call).toMatchObject({ outcome: 'voicemail', language: 'zh' });
    expect(call.data).toMatchObject({ voicemail: { mailbox: 'technical-support' } });
    const { rows } = await t.db.query<{ id: string; mailbox: string; caller_number: string }>(
      'SELECT id, mailbox, caller_number FROM voicemails WHERE call_id = $1',
      [call.id],
    );
    expect(rows).toEqual([expect.objectContaining({ mailbox: 'technical-support', caller_number: caller })]);
    // the message is listed and can be played back through the API
    const listed = (await (
      await fetch(`${hotline.apiUrl}/api/voicemails?mailbox=technical-support`)
    ).json()) as {
      id: string;
    }[];
    expect(listed.map((v) => v.id)).toContain(String(rows[0]!.id));
    const wav = await fetch(`${hotline.apiUrl}/api/voicemails/${rows[0]!.id}/audio`);
    expect(wav.status).toBe(200);
    expect(
      Buffer.from(await wav.arrayBuffer())
        .subarray(0, 4)
        .toString('ascii'),
    ).toBe('RIFF');
  });

  it('follows the menu retries on invalid input and a timeout, then takes the fallback', async () => {
    const caller = '+8613700000001';
    const sipp = startCaller({
      sipPort,
      dialled: '1000',
      from: caller,
      // 9 is no option of the language menu; then say nothing
      actions: [...pressAfter(1000, '9'), { pause: 14_000 }],
      end: 'bye',
    });
    const called = await sipp.done;
    expect(called.code, called.output).toBe(0);
    const call = await endedCallFrom(caller);
    const trail = await trailOf(t.db, call.id);
    expect(trail.find((s) => s.step === 'choose-language')).toMatchObject({
      result: 'fallback',
      next: 'chinese',
      data: { attempts: 2, tried: ['invalid:9', 'timeout'] },
    });
    expect(trail.map((s) => s.step).slice(0, 5)).toEqual([
      'answer',
      'init',
      'choose-language',
      'chinese',
      'lookup',
    ]);
  });

  it('sends an English caller after hours to voicemail', async () => {
    const caller = '+442071234567';
    const sipp = startCaller({
      sipPort,
      dialled: '2000',
      from: caller,
      // English; after the voicemail prompt and its beep, say something and hang up
      actions: [
        ...pressAfter(1500, '2'),
        { pause: 11_000 },
        { speak: spokenMessage('Hello, this is Sam Taylor. Please call me back about my order.') },
        { pause: 5_000 },
      ],
      end: 'bye',
    });
    const called = await sipp.done;
    expect(called.code, called.output).toBe(0);
    const call = await endedCallFrom(caller);
    const trail = await trailOf(t.db, call.id);
    expect(trail.map((s) => s.step)).toEqual([
      'answer',
      'init',
      'choose-language',
      'english',
      'lookup',
      'vip-check',
      'hours',
      'after-hours',
      'voicemail',
    ]);
    expect(call).toMatchObject({ language: 'en', outcome: 'voicemail' });
  });
});

describe('a caller hanging up', () => {
  it('ends the flow cleanly when the caller hangs up in the middle of a prompt', async () => {
    const caller = '+8613700000002';
    const ended = new Promise<{ outcome?: string }>((resolve) => {
      const off = hotline.ctx.events.on('call.ended', (e) => {
        off();
        resolve(e);
      });
    });
    const sipp = startCaller({
      sipPort,
      dialled: '1000',
      from: caller,
      actions: [{ pause: 800 }],
      end: 'bye',
    });
    const called = await sipp.done;
    expect(called.code, called.output).toBe(0);
    expect(await ended).toMatchObject({ outcome: 'abandoned' });
    const call = await endedCallFrom(caller);
    const trail = await trailOf(t.db, call.id);
    expect(trail.map((s) => [s.step, s.result])).toEqual([
      ['answer', 'answered'],
      ['init', 'ok'],
      ['choose-language', 'caller-hung-up'],
    ]);
    const { rows } = await t.db.query(
      `SELECT data FROM call_events WHERE call_id = $1 AND type = 'ivr.flow.ended'`,
      [call.id],
    );
    expect(rows[0]).toMatchObject({ data: { how: 'caller-gone', lastStep: 'choose-language' } });
    // nothing left behind: no IVR call, no ARI listener entries, no channel or playback
    await eventually(() => Promise.resolve(hotline.ivr.activeCalls() === 0));
    expect(hotline.ivr.resources.open).toEqual({ channels: 0, playbacks: 0, recordings: 0, legs: 0 });
    const counts = await eventually(async () => {
      const c = await hotline.media!.counts();
      return c.channels === 0 && c.playbacks === 0 ? c : null;
    });
    expect(counts).toMatchObject({ channels: 0, playbacks: 0 });
  });
});
