// The demo hotline's queue steps with the real ACD behind them (routing's CallRouter on Redis):
// a VIP caller waits in the technical-support queue, hears the position announcement (music on
// hold stopped and restarted around it) and takes a callback by key; a caller for a queue with
// nobody logged in is refused by routing and leaves a voicemail. sipp callers, RFC 2833 DTMF.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { TestDatabase } from '../helpers/db.js';
import { openDemoFlow, startDemoHotline, type DemoHotline } from './demo-hotline.js';
import { callsFrom, eventually, pressAfter, spokenMessage, startCaller, trailOf } from './ivr-helpers.js';

let demo: DemoHotline;
let t: TestDatabase;
let sipPort: number;

/** The demo's queues; nobody logged in: technical support keeps callers anyway, billing does not. */
function writeContactCenter(work: string): string {
  const file = path.join(work, 'contact-center.yaml');
  writeFileSync(
    file,
    stringify({
      callerId: 'Hotline',
      callbackEndpoint: 'PJSIP/{number}@carrier',
      queues: [
        { name: 'technical-support', joinEmpty: true, maxWaitSeconds: 120, overflow: { voicemail: true } },
        { name: 'orders-billing', joinEmpty: false },
        { name: 'complaints', joinEmpty: false },
        { name: 'general', joinEmpty: false },
      ],
      agents: [
        {
          id: 'agent1',
          endpoint: 'PJSIP/agent1',
          skills: { 'product-certification': 5 },
          languages: ['zh', 'en'],
          queues: ['technical-support', 'general'],
          initialState: 'logged-out',
        },
      ],
    }),
  );
  return file;
}

beforeAll(async () => {
  demo = await startDemoHotline({
    name: 'ivr-queue-e2e',
    // The demo flow, open at any hour, with the first queue announcement after 2 s (not 15).
    writeFlows: (dir) => {
      const flow = openDemoFlow();
      flow.setIn(['steps', 'tech-queue', 'announce', 'first'], 2);
      writeFileSync(path.join(dir, 'demo.yaml'), flow.toString());
    },
    env: (work) => ({
      HOTLINE_QA_ENABLED: 'false',
      HOTLINE_TRANSCRIPTION_ENABLED: 'false',
      HOTLINE_ROUTING_CONFIG_FILE: writeContactCenter(work),
    }),
  });
  ({ database: t, sipPort } = demo);
});

afterAll(async () => {
  await demo?.stop();
});

async function endedCallFrom(number: string) {
  return eventually(async () => {
    const [call] = await callsFrom(t.db, number);
    return call?.ended_at ? call : null;
  }, 45_000);
}

describe.concurrent('the demo hotline with the ACD', () => {
  it('queues a VIP caller for certified agents, announces the position and takes a callback by key', async () => {
    const caller = '+8613800138000';
    const sipp = startCaller({
      sipPort,
      dialled: '1000',
      from: caller,
      // 中文, technical support, latency; in the queue, after the first announcement, 1 = call me back
      actions: [
        ...pressAfter(1500, '1'),
        ...pressAfter(1500, '1'),
        ...pressAfter(1500, '3'),
        ...pressAfter(9000, '1'),
      ],
      end: 'wait-bye',
      waitMs: 30_000,
    });
    const called = await sipp.done;
    expect(called.code, called.output).toBe(0);
    const call = await endedCallFrom(caller);
    const trail = await trailOf(t.db, call.id);
    expect(trail.map((s) => s.step).slice(-3)).toEqual(['tech-menu', 'tech-queue', 'callback-confirmed']);
    expect(trail.find((s) => s.step === 'tech-queue')).toMatchObject({
      result: 'callback',
      input: '1',
      next: 'callback-confirmed',
    });
    expect(call.outcome).toBe('callback');
    const events = await t.db.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM call_events WHERE call_id = $1 AND source = 'ivr' ORDER BY at, id`,
      [call.id],
    );
    expect(events.rows.find((e) => e.type === 'ivr.queue-announcement')?.data).toMatchObject({
      queue: 'technical-support',
      position: 1,
    });
    // routing was given the VIP's priority, the product skill, the language and the last agent
    const enqueued = await eventually(async () => {
      const { rows } = await t.db.query<{ data: Record<string, unknown> }>(
        `SELECT data FROM queue_log WHERE call_id = $1 AND event = 'enqueue'`,
        [call.id],
      );
      return rows[0] ?? null;
    });
    expect(enqueued.data).toMatchObject({ priority: 10 });
  });

  it('sends a caller whom the queue refuses (nobody logged in) to voicemail', async () => {
    const caller = '+8613912345678';
    const sipp = startCaller({
      sipPort,
      dialled: '1000',
      from: caller,
      // 中文, orders and billing; then a message after the tone
      actions: [
        ...pressAfter(1500, '1'),
        ...pressAfter(1500, '2'),
        { pause: 7000 },
        { speak: spokenMessage('Hello, my bill for last month looks wrong. Please call me back.') },
        { pause: 5000 },
      ],
      end: 'bye',
    });
    const called = await sipp.done;
    expect(called.code, called.output).toBe(0);
    const call = await endedCallFrom(caller);
    const trail = await trailOf(t.db, call.id);
    expect(trail.find((s) => s.step === 'billing-queue')).toMatchObject({
      result: 'rejected',
      next: 'no-agents',
      data: { reason: 'no-agents' },
    });
    expect(trail.map((s) => s.step).slice(-3)).toEqual(['billing-queue', 'no-agents', 'voicemail']);
    expect(call).toMatchObject({ outcome: 'voicemail' });
    expect(call.data).toMatchObject({ voicemail: { mailbox: 'orders-billing' } });
  });
});
