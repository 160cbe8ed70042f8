// The router and its sessions against the real Redis, with a fake of routing's own telephony
// interface playing agents and callers, and fake timers for everything timed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testRedis, type TestRedis } from '../../test/helpers/redis.js';
import { HotlineEvents, type HotlineEventMap } from '../events.js';
import { silentLogger } from '../logger.js';
import { AgentState } from './agent-state.js';
import { parseContactCenter } from './contact-center.js';
import { FakeTelephony } from './fake-telephony.js';
import type { ContactCenter } from './model.js';
import { Router } from './router.js';
import { RoutingStore } from './store.js';

const contactCenter: ContactCenter = parseContactCenter({
  callbackEndpoint: 'PJSIP/{number}@carrier',
  queues: [
    {
      name: 'support',
      maxWaitSeconds: 120,
      ringSeconds: 15,
      wrapUpSeconds: 10,
      steps: [
        { seconds: 20, skills: { tech: 4 }, language: true },
        { seconds: 40, skills: { tech: 2 }, language: true },
        { skills: {}, language: false },
      ],
      overflow: { queue: 'general' },
    },
    { name: 'general', maxWaitSeconds: 60, ringSeconds: 15, wrapUpSeconds: 0, overflow: { voicemail: true } },
    { name: 'sales', strategy: 'ring-all', ringAllMax: 3, wrapUpSeconds: 0 },
  ],
  agents: [
    {
      id: 'a1',
      endpoint: 'PJSIP/a1',
      skills: { tech: 2 },
      languages: ['zh'],
      queues: ['support', 'general', 'sales'],
      initialState: 'available',
    },
    {
      id: 'a2',
      endpoint: 'PJSIP/a2',
      skills: { tech: 5 },
      languages: ['en'],
      queues: ['support', 'general', 'sales'],
      initialState: 'available',
    },
    {
      id: 'a3',
      endpoint: 'PJSIP/a3',
      skills: {},
      languages: ['en'],
      queues: ['sales'],
      initialState: 'available',
    },
  ],
});

/** Polls (in real time, without moving the fake clock) until `check` holds. */
async function eventually(check: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

interface Node {
  store: RoutingStore;
  fake: FakeTelephony;
  events: HotlineEvents;
  router: Router;
  connected: HotlineEventMap['call.connected'][];
}

function makeNode(t: TestRedis, nodeId: string, offers: boolean): Node {
  const store = new RoutingStore(nodeId === 'node-a' ? t.redis : t.redis.duplicate(), t.keys, nodeId, () =>
    Date.now(),
  );
  const fake = new FakeTelephony();
  const events = new HotlineEvents();
  const connected: HotlineEventMap['call.connected'][] = [];
  events.on('call.connected', (e) => connected.push(e));
  const router = new Router({
    store,
    telephony: fake,
    contactCenter,
    events,
    db: null,
    log: silentLogger,
    keys: t.keys,
    offersRedis: offers ? t.redis.duplicate() : null,
    sweepIntervalMs: 0,
    nodeTimeoutMs: 10_000,
  });
  return { store, fake, events, router, connected };
}

describe('router on one node', () => {
  let t: TestRedis;
  let n: Node;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 5, 9, 0, 0));
    t = testRedis();
    n = makeNode(t, 'node-a', false);
    await n.router.load();
    n.router.start();
    await n.router.idle();
  });
  afterEach(async () => {
    await n.router.stop();
    vi.useRealTimers();
    await t.cleanup();
  });

  const enqueue = (callId: string, queue: string, more: { language?: string; priority?: number } = {}) =>
    n.router.enqueue({ callId, channelId: `chan-${callId}`, queue, ...more });

  it('rings the agent routing picked, bridges on answer and tells the other modules', async () => {
    const call = await enqueue('c1', 'support', { language: 'en' });
    expect(n.fake.moh.get('chan-c1')).toBe('default');
    await eventually(() => n.fake.ringing().length === 1, 'a ring');
    const [leg] = n.fake.legsTo('PJSIP/a2');
    expect(leg!.options.tag).toEqual(['c1', 'a2']);
    expect(leg!.options.timeoutSeconds).toBe(15);
    leg!.answer();
    expect(await call.outcome).toEqual({
      kind: 'connected',
      agent: 'a2',
      agentChannelId: leg!.channelId,
      bridgeId: 'bridge-queue-support-c1',
    });
    expect(n.fake.moh.get('chan-c1')).toBeNull();
    expect(n.fake.bridges.get('bridge-queue-support-c1')).toEqual(['chan-c1', leg!.channelId]);
    expect(n.connected).toEqual([
      {
        callId: 'c1',
        callerChannelId: 'chan-c1',
        agentChannelId: leg!.channelId,
        agent: 'a2',
        queue: 'support',
        bridgeId: 'bridge-queue-support-c1',
        language: 'en',
      },
    ]);
    expect((await n.store.agent('a2'))!.state).toBe(AgentState.OnCall);
  });

  it('hangs up the agent when the caller leaves, then wraps the agent up for the queue’s time', async () => {
    const call = await enqueue('c1', 'support', { language: 'en' });
    await eventually(() => n.fake.ringing().length === 1);
    const [leg] = n.fake.ringing();
    leg!.answer();
    await call.outcome;
    n.fake.callerHangsUp('chan-c1');
    await eventually(async () => (await n.store.agent('a2'))!.state === AgentState.WrapUp, 'wrap-up');
    expect(n.fake.hungUp).toContain(leg!.channelId);
    expect(n.fake.destroyedBridges).toEqual(['bridge-queue-support-c1']);
    await vi.advanceTimersByTimeAsync(10_010);
    await n.router.idle();
    expect((await n.store.agent('a2'))!.state).toBe(AgentState.Available);
  });

  it('frees the agent when the caller leaves just as the agent answers', async () => {
    const call = await enqueue('c1', 'support', { language: 'en' });
    await eventually(() => n.fake.ringing().length === 1);
    const [leg] = n.fake.ringing();
    n.fake.failNextBridge = true;
    leg!.answer();
    expect(await call.outcome).toEqual({ kind: 'abandoned' });
    expect(n.fake.hungUp).toContain(leg!.channelId);
    await eventually(async () => (await n.store.agent('a2'))!.state === AgentState.WrapUp, 'wrap-up');
    expect(n.connected).toEqual([]);
  });

  it('hangs up the caller when the agent leaves first', async () => {
    const call = await enqueue('c1', 'support', { language: 'en' });
    await eventually(() => n.fake.ringing().length === 1);
    const [leg] = n.fake.ringing();
    leg!.answer();
    await call.outcome;
    leg!.hangUp();
    await eventually(() => n.fake.hungUp.includes('chan-c1'), 'the caller hung up');
  });

  it('skips an agent who does not answer and rings the next one', async () => {
    const call = await enqueue('c1', 'general');
    await eventually(() => n.fake.ringing().length === 1);
    const first = n.fake.ringing()[0]!;
    expect(first.options.endpoint).toBe('PJSIP/a1');
    first.fail('no-answer');
    await eventually(() => n.fake.legsTo('PJSIP/a2').length === 1, 'the next agent rung');
    n.fake.legsTo('PJSIP/a2')[0]!.answer();
    expect(await call.outcome).toMatchObject({ kind: 'connected', agent: 'a2' });
    expect((await n.store.agent('a1'))!.missedInARow).toBe(1);
  });

  it('lets the caller go as abandoned when they hang up while an agent rings', async () => {
    const call = await enqueue('c1', 'general');
    await eventually(() => n.fake.ringing().length === 1);
    const leg = n.fake.ringing()[0]!;
    n.fake.callerHangsUp('chan-c1');
    expect(await call.outcome).toEqual({ kind: 'abandoned' });
    await eventually(() => leg.state !== 'ringing', 'the ring stopped');
    await n.router.idle();
    const a1 = await n.store.agent('a1');
    expect(a1!.state).toBe(AgentState.Available);
    expect(a1!.missedInARow).toBe(0);
  });

  it('widens the search when a routing step ends', async () => {
    // zh caller: step 1 wants tech >= 4 in Chinese (nobody); step 2 (after 20 s) tech >= 2 (a1)
    await enqueue('c1', 'support', { language: 'zh' });
    await n.router.idle();
    expect(n.fake.legs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(19_000);
    await n.router.idle();
    expect(n.fake.legs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await eventually(() => n.fake.ringing().length === 1, 'a ring after 20 s');
    expect(n.fake.ringing()[0]!.options.endpoint).toBe('PJSIP/a1');
  });

  it('gives the next free agent to a VIP caller who came later', async () => {
    await n.store.setAgentState('a1', 'aux', 'break');
    await n.store.setAgentState('a2', 'aux', 'break');
    await enqueue('c1', 'general');
    await vi.advanceTimersByTimeAsync(30_000);
    await enqueue('vip', 'general', { priority: 10 });
    await n.router.idle();
    await n.store.setAgentState('a1', 'available');
    n.router.agentFree('a1');
    await eventually(() => n.fake.ringing().length === 1, 'a ring');
    expect(n.fake.ringing()[0]!.options.tag).toEqual(['vip', 'a1']);
  });

  it('sends the caller to the overflow target when the queue’s max wait is over', async () => {
    await n.store.setAgentState('a1', 'aux', 'break');
    await n.store.setAgentState('a2', 'aux', 'break');
    const call = await enqueue('c1', 'general');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await call.outcome).toEqual({ kind: 'overflow', to: { voicemail: true } });
  });

  it('rings every eligible agent of a ring-all queue and hangs up the others when one answers', async () => {
    const call = await enqueue('c1', 'sales');
    await eventually(() => n.fake.ringing().length === 3, 'three rings');
    n.fake.legsTo('PJSIP/a3')[0]!.answer();
    expect(await call.outcome).toMatchObject({ kind: 'connected', agent: 'a3' });
    await eventually(() => n.fake.ringing().length === 0, 'the other rings stopped');
    await n.router.idle();
    expect((await n.store.agent('a1'))!.state).toBe(AgentState.Available);
    expect((await n.store.agent('a1'))!.missedInARow).toBe(0);
  });

  it('calls back in the caller’s turn: the agent first, then the customer', async () => {
    await n.store.setAgentState('a1', 'aux', 'break');
    await n.store.setAgentState('a2', 'aux', 'break');
    const call = await enqueue('c1', 'general');
    await enqueue('c2', 'general');
    await call.convertToCallback('+8613800138000');
    expect(await call.outcome).toEqual({ kind: 'callback', number: '+8613800138000' });
    await n.store.setAgentState('a2', 'available');
    n.router.agentFree('a2');
    await eventually(() => n.fake.ringing().length === 1, 'the agent rung');
    const agentLeg = n.fake.ringing()[0]!;
    expect(agentLeg.options.tag).toEqual(['c1', 'a2']);
    agentLeg.answer();
    await eventually(() => n.fake.legsTo('PJSIP/+8613800138000@carrier').length === 1, 'the customer rung');
    const customer = n.fake.legsTo('PJSIP/+8613800138000@carrier')[0]!;
    customer.answer();
    await eventually(() => n.connected.length === 1, 'connected');
    expect(n.connected[0]).toMatchObject({ callId: 'c1', callerChannelId: customer.channelId, agent: 'a2' });
  });

  it('answers a queue it does not know with a rejection', async () => {
    const call = await enqueue('c1', 'nowhere');
    expect(await call.outcome).toEqual({ kind: 'rejected', reason: 'unknown-queue' });
  });

  it('tells the IVR the place in line and the estimated wait', async () => {
    await n.store.setAgentState('a1', 'aux', 'break');
    await n.store.setAgentState('a2', 'aux', 'break');
    await enqueue('c1', 'general');
    const c2 = await enqueue('c2', 'general');
    expect(await c2.position()).toEqual({ position: 2, estimatedWaitSeconds: null });
  });
});

describe('two routers (nodes) on one Redis', () => {
  let t: TestRedis;
  let a: Node;
  let b: Node;
  beforeEach(async () => {
    t = testRedis();
    a = makeNode(t, 'node-a', true);
    b = makeNode(t, 'node-b', true);
    await a.router.load();
    await b.router.load();
    a.router.start();
    b.router.start();
    await a.router.idle();
    await b.router.idle();
  });
  afterEach(async () => {
    await a.router.stop();
    await b.router.stop();
    b.store.redis.disconnect();
    await t.cleanup();
  });

  it('rings on the node that holds the caller when another node frees the agent', async () => {
    await a.store.setAgentState('a1', 'aux', 'break');
    await a.store.setAgentState('a2', 'aux', 'break');
    const call = await a.router.enqueue({ callId: 'c1', channelId: 'chan-c1', queue: 'general' });
    await b.store.setAgentState('a2', 'available');
    b.router.agentFree('a2');
    await eventually(() => a.fake.ringing().length === 1, 'node A rings the agent');
    expect(b.fake.legs).toHaveLength(0);
    a.fake.ringing()[0]!.answer();
    expect(await call.outcome).toMatchObject({ kind: 'connected', agent: 'a2' });
  });
});
