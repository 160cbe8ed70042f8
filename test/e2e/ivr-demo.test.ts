// The demo hotline end to end: Hotline as `hotline start` runs it (embedded media server, ARI,
// IVR, API with the demo CRM, real Postgres and Redis), and sipp callers pressing keys with
// RFC 2833 DTMF. What each call went through is read back from call_events.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { RunningHotline } from '../../src/app.js';
import { projectRoot } from '../helpers/cli.js';
import type { TestDatabase } from '../helpers/db.js';
import { openDemoFlow, startDemoHotline, type DemoHotline } from './demo-hotline.js';
import { callsFrom, eventually, pressAfter, spokenMessage, startCaller, trailOf } from './ivr-helpers.js';

let demo: DemoHotline;
let t: TestDatabase;
let hotline: RunningHotline;
let sipPort: number;

/**
 * The demo flow with its business hours decided: always open (dialled 1000), or closed by a
 * holiday around today (dialled 2000). Everything else is the shipped flow.
 */
function demoVariants(dir: string): void {
  writeFileSync(path.join(dir, 'demo.yaml'), openDemoFlow().toString());
  const closed = parseDocument(readFileSync(path.join(projectRoot, 'flows/demo.yaml'), 'utf8'));
  const day = 86_400_000;
  const around = [-1, 0, 1].map((d) => new Date(Date.now() + d * day).toISOString().slice(0, 10));
  closed.set('name', 'demo-closed');
  closed.setIn(['steps', 'hours', 'holidays'], around);
  writeFileSync(path.join(dir, 'demo-closed.yaml'), closed.toString());
}

beforeAll(async () => {
  demo = await startDemoHotline({
    name: 'ivr-e2e',
    writeFlows: demoVariants,
    logLevelFrom: 'IVR_E2E_LOG',
    env: () => ({
      HOTLINE_QA_ENABLED: 'false',
      // The IVR alone (no ACD): enqueue steps go to `unavailable`; routing has its own e2e tests.
      HOTLINE_ROUTING_ENABLED: 'false',
      HOTLINE_IVR_DID_FLOWS: JSON.stringify({ '2000': 'demo-closed' }),
    }),
  });
  ({ database: t, hotline, sipPort } = demo);
});

afterAll(async () => {
  await demo?.stop();
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
