import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../test/helpers/cli.js';
import { testDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { testContext } from '../../../test/helpers/context.js';
import { testRedis, type TestRedis } from '../../../test/helpers/redis.js';
import { loadConfig } from '../../config.js';
import { silentLogger } from '../../logger.js';
import { parseContactCenter, planCall, QueueLogWriter, RoutingStore } from '../../routing/index.js';
import { apiErrors } from '../errors.js';
import { buildApi } from '../server.js';

const cc = parseContactCenter({
  queues: [{ name: 'support', serviceLevel: { percent: 80, seconds: 20 } }],
  agents: [
    {
      id: 'agent1',
      endpoint: 'PJSIP/agent1',
      skills: { tech: 5 },
      languages: ['zh', 'en'],
      queues: ['support'],
    },
  ],
});

describe('routing API', () => {
  let t: TestDatabase;
  let r: TestRedis;
  let app: Awaited<ReturnType<typeof buildApi>>;
  let node: RoutingStore;

  beforeAll(async () => {
    t = await testDatabase();
    r = testRedis();
    const config = loadConfig({ HOTLINE_ROUTING_NODE_ID: 'api-test' });
    app = await buildApi(testContext(t, r, { config }));
    // what a router node does at start
    node = new RoutingStore(r.redis, r.keys, 'api-test');
    for (const q of cc.queues) await node.loadQueue(q);
    for (const a of cc.agents) await node.loadAgent(a);
  });
  afterAll(async () => {
    await app.close();
    await r.cleanup();
    await t.drop();
  });

  const post = (url: string, payload?: unknown) =>
    app.inject({ method: 'POST', url, payload: payload as object });

  it('logs an agent in, puts them on a break with a reason code, and logs them out', async () => {
    let res = await post('/api/routing/agents/agent1/login');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'agent1', state: 'available', applied: true });
    res = await post('/api/routing/agents/agent1/state', { state: 'aux', reason: 'lunch' });
    expect(res.json()).toMatchObject({ state: 'aux', reason: 'lunch' });
    res = await post('/api/routing/agents/agent1/logout');
    expect(res.json()).toMatchObject({ state: 'logged-out' });
  });

  it('refuses an aux state without a reason code, an unknown state and an unknown agent', async () => {
    let res = await post('/api/routing/agents/agent1/state', { state: 'aux' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'HOTLINE_BAD_REQUEST' });
    res = await post('/api/routing/agents/agent1/state', { state: 'on-call' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/state: /);
    res = await post('/api/routing/agents/nobody/login');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'HOTLINE_ROUTING_UNKNOWN_AGENT' });
  });

  it('refuses to remove a logged-in agent with 409, and removes a logged-out one', async () => {
    await app.inject({
      method: 'PUT',
      url: '/api/routing/agents/temp',
      payload: { endpoint: 'PJSIP/temp', queues: ['support'], initialState: 'available' },
    });
    let res = await app.inject({ method: 'DELETE', url: '/api/routing/agents/temp' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'HOTLINE_ROUTING_ILLEGAL_TRANSITION' });
    await post('/api/routing/agents/temp/logout');
    res = await app.inject({ method: 'DELETE', url: '/api/routing/agents/temp' });
    expect(res.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/routing/agents/temp' })).statusCode).toBe(404);
  });

  it('creates an agent with PUT (201), updates it (200), and validates the profile', async () => {
    let res = await app.inject({
      method: 'PUT',
      url: '/api/routing/agents/agent9',
      payload: { endpoint: 'PJSIP/agent9', skills: { billing: 3 }, languages: ['en'], queues: ['support'] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'agent9', state: 'logged-out', skills: { billing: 3 } });
    res = await app.inject({
      method: 'PUT',
      url: '/api/routing/agents/agent9',
      payload: { endpoint: 'PJSIP/agent9', skills: { billing: 4 }, languages: ['en'], queues: ['support'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ skills: { billing: 4 } });
    res = await app.inject({
      method: 'PUT',
      url: '/api/routing/agents/agent9',
      payload: { endpoint: 'agent9', skills: { billing: 7 }, queues: ['support'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/endpoint: .*; skills\.billing: /);
    res = await app.inject({
      method: 'PUT',
      url: '/api/routing/agents/agent9',
      payload: { endpoint: 'PJSIP/agent9', queues: ['nowhere'] },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'HOTLINE_ROUTING_UNKNOWN_QUEUE' });
  });

  it('shows a queue live: callers in line with their wait, agents logged in and free', async () => {
    await post('/api/routing/agents/agent1/state', { state: 'aux', reason: 'break' });
    const support = cc.queues[0]!;
    await node.enqueue({
      callId: 'c1',
      queue: 'support',
      plan: planCall(support, { language: 'zh' }, Date.now() - 30_000),
      priority: 0,
      enqueuedAt: Date.now() - 30_000,
      channelId: 'chan-c1',
      mode: 'caller',
    });
    const res = await app.inject({ method: 'GET', url: '/api/routing/queues/support' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      name: 'support',
      strategy: 'longest-idle',
      waiting: 1,
      availableAgents: 0,
      loggedInAgents: 1,
    });
    expect(body.callers).toEqual([
      expect.objectContaining({ callId: 'c1', position: 1, mode: 'caller', priority: 0 }),
    ]);
    expect(body.longestWaitSeconds).toBeGreaterThanOrEqual(0);
    expect((await app.inject({ method: 'GET', url: '/api/routing/queues/nowhere' })).statusCode).toBe(404);
  });

  it('offers a waiting caller to an agent who becomes available through the API', async () => {
    // c1 (previous test) waits; agent1 comes back from the break
    const res = await post('/api/routing/agents/agent1/state', { state: 'available' });
    expect(res.json()).toMatchObject({ state: 'reserved' });
    // the node holding the call gets the offer on its stream (the API is not that node)
    const offers = await r.redis.xrange(r.keys.routingOffers('api-test'), '-', '+');
    expect(offers.map(([, f]) => f)).toEqual([['call', 'c1', 'agents', 'agent1']]);
  });

  it('answers KPIs for a period, and refuses a bad period', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const writer = new QueueLogWriter(r.redis.duplicate(), t.db, r.keys, 'api-test', silentLogger);
    await writer.flush();
    await writer.stop();
    let res = await app.inject({ method: 'GET', url: `/api/routing/kpis?from=${from}&to=${to}` });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ queues: unknown[]; agents: { agent: string }[] }>();
    expect(body.queues).toEqual([
      expect.objectContaining({ queue: 'support', offered: 1, answered: 0, serviceLevelSeconds: 20 }),
    ]);
    expect(body.agents.map((a) => a.agent)).toEqual(['agent1', 'agent9', 'temp']);
    res = await app.inject({ method: 'GET', url: `/api/routing/kpis?from=${to}&to=${from}` });
    expect(res.statusCode).toBe(400);
    res = await app.inject({ method: 'GET', url: '/api/routing/kpis?from=yesterday' });
    expect(res.statusCode).toBe(400);
  });

  it('documents every routing error code in docs/routing.md', () => {
    const doc = readFileSync(path.join(projectRoot, 'docs/routing.md'), 'utf8');
    const codes = Object.keys(apiErrors).filter((c) => c.startsWith('HOTLINE_ROUTING_'));
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(doc, code).toContain(code);
  });
});
