// Routing end to end with real peers: sipp callers and baresip agents on the embedded media
// server, the router dialling agents over ARI (ari-client), real Redis and Postgres. A small ARI
// harness stands in for the IVR: it answers each caller and enqueues them (queue, language and
// priority by the number dialled), so these tests show routing alone; routing-demo.test.ts goes
// through the demo flow.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectAri, type AriConnection } from '../../src/ari/index.js';
import { configSchema } from '../../src/config.js';
import { HotlineEvents, type HotlineEventMap } from '../../src/events.js';
import { silentLogger } from '../../src/logger.js';
import { parseMediaFileConfig, startMediaServer, type MediaServer } from '../../src/media/index.js';
import { AriTelephony } from '../../src/routing/ari-telephony.js';
import { parseContactCenter, RoutingStore } from '../../src/routing/index.js';
import { Router } from '../../src/routing/router.js';
import { recordCallStart } from '../../src/store/index.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { projectRoot } from '../helpers/cli.js';
import { EMPTY, waitForEmpty } from '../helpers/media.js';
import { freeSipPort, freeTcpPort } from '../helpers/ports.js';
import { testRedis, type TestRedis } from '../helpers/redis.js';
import { freeUdpRange } from '../sipp/harness.js';
import { startCaller } from './ivr-helpers.js';
import { eventually, routingLog, startAgentPhone, type AgentPhone } from './routing-helpers.js';

const contactCenter = parseContactCenter({
  queues: [
    // agent1 never answers and is idle longest: rung first, then skipped
    { name: 'general', ringSeconds: 3, wrapUpSeconds: 1, maxMissed: 5, steps: [{ language: false }] },
    // one agent: callers wait in line for them
    { name: 'front-desk', ringSeconds: 5, wrapUpSeconds: 1, steps: [{ language: false }] },
    // 3 s for a tech >= 4 agent who speaks the caller's language, then tech >= 2
    {
      name: 'tech',
      ringSeconds: 5,
      wrapUpSeconds: 1,
      steps: [
        { seconds: 3, skills: { tech: 4 }, language: true },
        { skills: { tech: 2 }, language: true },
      ],
    },
  ],
  agents: [
    {
      id: 'agent1',
      endpoint: 'PJSIP/agent1',
      skills: { tech: 1 },
      languages: ['zh', 'en'],
      queues: ['general'],
      initialState: 'available',
    },
    {
      id: 'agent2',
      endpoint: 'PJSIP/agent2',
      skills: { tech: 2 },
      languages: ['zh'],
      queues: ['general', 'tech'],
      initialState: 'available',
    },
    {
      id: 'agent3',
      endpoint: 'PJSIP/agent3',
      skills: { tech: 5 },
      languages: ['en'],
      queues: ['front-desk', 'tech'],
      initialState: 'available',
    },
  ],
});

/** What each number dialled means to the harness (the IVR's job in production). */
const lines: Record<string, { queue: string; language?: string; priority?: number }> = {
  '1001': { queue: 'general' },
  '1010': { queue: 'front-desk' },
  '1011': { queue: 'front-desk', priority: 10 },
  '1020': { queue: 'tech', language: 'zh' },
};

let db: TestDatabase;
let r: TestRedis;
let media: MediaServer;
let ari: AriConnection;
let router: Router;
let store: RoutingStore;
const phones: AgentPhone[] = [];
const connected: HotlineEventMap['call.connected'][] = [];
/** caller number → the caller's channel id */
const channelOf = new Map<string, string>();

beforeAll(async () => {
  db = await testDatabase();
  r = testRedis();
  const rtpBase = await freeUdpRange(200);
  const sipPort = await freeSipPort();
  const config = configSchema.parse({
    home: projectRoot,
    ari: { mode: 'embedded', url: `http://127.0.0.1:${await freeTcpPort()}` },
    media: {
      bindAddress: '127.0.0.1',
      sipUdpPort: sipPort,
      sipTcpPort: sipPort,
      rtpPortMin: rtpBase,
      rtpPortMax: rtpBase + 199,
      soundsDirs: ['/usr/share/asterisk/sounds'],
      mohClasses: { default: '/usr/share/asterisk/moh' },
      recordingsDir: mkdtempSync(path.join(os.tmpdir(), 'hotline-routing-e2e-')),
    },
  });
  media = await startMediaServer(config, silentLogger, {
    file: parseMediaFileConfig({
      endpoints: ['agent1', 'agent2', 'agent3'].map((name, i) => ({ name, password: `secret${i + 1}` })),
      dialplan: {
        routes: [
          { endpoint: '*', context: 'from-agent' },
          { address: '127.0.0.1', name: 'caller', context: 'from-caller' },
        ],
        contexts: {
          'from-caller': [{ exten: '_1XXX', app: 'hotline', args: ['${EXTEN}'], priority: 2 }],
          'from-agent': [],
        },
      },
    }),
    sipTimers: { t1: 25 },
  });
  ari = await connectAri(
    { url: media.ariUrl, username: 'hotline', password: 'hotline', app: 'hotline' },
    silentLogger,
  );
  store = new RoutingStore(r.redis, r.keys, 'e2e-node');
  const events = new HotlineEvents();
  events.on('call.connected', (e) => connected.push(e));
  router = new Router({
    store,
    telephony: new AriTelephony(ari, silentLogger),
    contactCenter,
    events,
    db: db.db,
    log: silentLogger,
    keys: r.keys,
    offersRedis: r.redis.duplicate(),
    sweepIntervalMs: 200,
    nodeTimeoutMs: 10_000,
  });
  await router.load();
  router.start();
  ari.routeInbound(async (event, channel) => {
    const line = lines[event.args[0] ?? ''];
    if (!line) return void (await channel.hangup());
    channelOf.set(channel.caller.number, channel.id);
    await recordCallStart(db.db, {
      id: channel.id,
      callerNumber: channel.caller.number,
      dialledNumber: event.args[0],
    });
    await channel.answer();
    await router.enqueue({ callId: channel.id, channelId: channel.id, ...line });
  });
  for (const [i, user] of ['agent1', 'agent2', 'agent3'].entries())
    phones.push(
      await startAgentPhone({
        user,
        password: `secret${i + 1}`,
        registrarPort: sipPort,
        answer: i === 0 ? 'never' : 'auto',
      }),
    );
});

afterEach(async () => {
  // every call, bridge and leg gone on the media server once a test's callers are done
  expect(await waitForEmpty(media)).toEqual(EMPTY);
});

afterAll(async () => {
  for (const p of phones) await p.stop();
  await router?.stop();
  ari?.close();
  await media?.stop();
  await r?.cleanup();
  await db?.drop();
});

const callerSipPort = () => (media as unknown as { sipUdpPort: number }).sipUdpPort;

/** A sipp caller who dials `dialled` and stays on the line until Hotline hangs up. */
function caller(dialled: string, from: string) {
  return startCaller({
    sipPort: callerSipPort(),
    dialled,
    from,
    actions: [],
    end: 'wait-bye',
    waitMs: 40_000,
  });
}

/** The routing events of the call from `from`, once `done` holds for them. */
async function eventsOf(from: string, done: (events: string[]) => boolean) {
  return eventually(async () => {
    const callId = channelOf.get(from);
    if (!callId) return null;
    const log = (await routingLog(r.redis, r.keys)).filter((e) => e.callId === callId);
    return done(log.map((e) => e.event)) ? log : null;
  }, 30_000);
}

/** Waits until the caller from `from` talks to an agent (bridged: call.connected). */
async function talking(from: string) {
  return eventually(() => Promise.resolve(connected.find((c) => c.callId === channelOf.get(from))), 30_000);
}

/** The test hangs the caller up (as if they had finished talking). */
const hangUp = (from: string) => ari.client.channels.hangup({ channelId: channelOf.get(from)! });

describe('routing with real SIP callers and agent phones', () => {
  it('skips an agent who does not answer and connects the caller to the next one', async () => {
    const sipp = caller('1001', '+861001');
    await talking('+861001');
    await hangUp('+861001');
    expect((await sipp.done).code).toBe(0);
    const callId = channelOf.get('+861001')!;
    const events = (await eventsOf('+861001', (e) => e.includes('complete'))).map((e) => [e.event, e.agent]);
    expect(events).toEqual([
      ['enqueue', ''],
      ['reserve', 'agent1'],
      ['ring', 'agent1'],
      ['no-answer', 'agent1'],
      ['requeue', ''],
      ['reserve', 'agent2'],
      ['ring', 'agent2'],
      ['answer', 'agent2'],
      ['complete', 'agent2'],
    ]);
    expect(phones[0]!.incoming()).toBeGreaterThanOrEqual(1);
    expect(connected.find((c) => c.callId === callId)).toMatchObject({
      agent: 'agent2',
      queue: 'general',
      callerChannelId: callId,
    });
    expect((await store.agent('agent1'))!.missedInARow).toBe(1);
    const { rows } = await db.db.query('SELECT queue, agent FROM calls WHERE id = $1', [callId]);
    expect(rows[0]).toEqual({ queue: 'general', agent: 'agent2' });
  });

  it('lets a VIP caller overtake a caller who waited longer', async () => {
    // agent3 alone answers front-desk: the first caller keeps them busy while two more line up
    const first = caller('1010', '+862001');
    await talking('+862001');
    const waiting = caller('1010', '+862002');
    await eventsOf('+862002', (e) => e.includes('enqueue'));
    const vip = caller('1011', '+862003');
    await eventsOf('+862003', (e) => e.includes('enqueue'));
    await hangUp('+862001');
    await talking('+862003');
    expect((await eventsOf('+862002', () => true)).map((e) => e.event)).toEqual(['enqueue']);
    await hangUp('+862003');
    await talking('+862002');
    await hangUp('+862002');
    for (const run of [first, waiting, vip]) expect((await run.done).code).toBe(0);
    const answers = (await routingLog(r.redis, r.keys)).filter(
      (e) => e.event === 'answer' && e.queue === 'front-desk',
    );
    const order = answers.map((e) => [...channelOf].find(([, id]) => id === e.callId)![0]);
    // the VIP came last and was served second, before the caller who had waited longer
    expect(order).toEqual(['+862001', '+862003', '+862002']);
  });

  it('widens the search when the first routing step is over', async () => {
    const sipp = caller('1020', '+863001');
    await talking('+863001');
    const log = await eventsOf('+863001', (e) => e.includes('answer'));
    await hangUp('+863001');
    expect((await sipp.done).code).toBe(0);
    const reserve = log.find((e) => e.event === 'reserve')!;
    // nobody with tech >= 4 speaks Chinese: agent2 (tech 2) gets it in step 2, after 3 s
    expect(reserve).toMatchObject({ agent: 'agent2', data: { step: 1 } });
    expect(reserve.waitMs).toBeGreaterThanOrEqual(3000);
    expect(log.filter((e) => e.event === 'reserve')).toHaveLength(1);
    expect(log.find((e) => e.event === 'answer')).toMatchObject({ agent: 'agent2' });
  });

  it('lets the caller go as abandoned when they hang up while waiting', async () => {
    await store.setAgentState('agent3', 'aux', 'break');
    const sipp = startCaller({
      sipPort: callerSipPort(),
      dialled: '1010',
      from: '+864001',
      actions: [{ pause: 1500 }],
      end: 'bye',
    });
    expect((await sipp.done).code).toBe(0);
    const log = await eventsOf('+864001', (e) => e.includes('abandon'));
    expect(log.map((e) => e.event)).toEqual(['enqueue', 'abandon']);
    await store.setAgentState('agent3', 'available');
  });
});
