import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { silentLogger } from '../logger.js';
import { callEvents, recordCallStart } from '../store/index.js';
import { agentKpis, queueKpis } from './kpis.js';
import { QueueLogWriter } from './queue-log.js';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from './test-helpers.js';

describe('queue log and KPIs', () => {
  let db: TestDatabase;
  let f: RoutingFixture;
  let writer: QueueLogWriter;
  let t0: number;

  beforeAll(async () => {
    db = await testDatabase();
    f = await routingFixture(
      [queueOf({ name: 'support', serviceLevel: { percent: 80, seconds: 20 } })],
      [agentOf({ id: 'a1', queues: ['support'] }), agentOf({ id: 'a2', queues: ['support'] })],
    );
    writer = new QueueLogWriter(f.t.redis.duplicate(), db.db, f.t.keys, 'test-node', silentLogger);
    await recordCallStart(db.db, { id: 'c1', callerNumber: '+8613800138000' });
    const { store, clock } = f;
    const at = (s: number) => {
      clock.t = t0 + s * 1000;
    };
    t0 = clock.now();
    await store.setAgentState('a1', 'aux', 'break');
    await store.setAgentState('a2', 'aux', 'break');
    await f.enqueue('support', { callId: 'c1' });
    at(1);
    await f.enqueue('support', { callId: 'c2' });
    at(10);
    await store.setAgentState('a1', 'available');
    await store.dispatchAgent('a1');
    await store.answered('c1', 'a1'); // waited 10 s: within the 20 s target
    at(31);
    await store.setAgentState('a2', 'available');
    await store.dispatchAgent('a2');
    await store.answered('c2', 'a2'); // waited 30 s
    at(61);
    await store.callEnded('c2', 'a2', 10); // talked 30 s
    at(70);
    await store.callEnded('c1', 'a1', 10); // talked 60 s
    at(71);
    await store.sweep();
    at(80);
    await store.sweep();
    at(100);
    await f.enqueue('support', { callId: 'c3' });
    at(105);
    await store.abandon('c3'); // short abandon: left out of the service level
    at(110);
    await f.enqueue('support', { callId: 'c4' });
    at(150);
    await store.abandon('c4');
    at(160);
    await f.enqueue('support', { callId: 'c5' });
    at(280);
    await store.overflow('c5', { voicemail: true });
    at(300);
    await store.setAgentState('a1', 'aux', 'end of shift');
    await store.setAgentState('a2', 'aux', 'end of shift');
    await writer.flush();
  });
  afterAll(async () => {
    await writer.stop();
    await f.cleanup();
    await db.drop();
  });

  it('writes every routing event to queue_log with the wait at that moment', async () => {
    const { rows } = await db.db.query<{ event: string; call_id: string; agent: string; wait_ms: string }>(
      `SELECT event, call_id, agent, wait_ms FROM queue_log WHERE call_id = 'c1' ORDER BY id`,
    );
    expect(rows.map((r) => [r.event, r.agent, Number(r.wait_ms)])).toEqual([
      ['enqueue', null, 0],
      ['reserve', 'a1', 10_000],
      ['answer', 'a1', 10_000],
      ['complete', 'a1', 70_000],
    ]);
  });

  it('adds the routing steps to the trail of a call that has a record', async () => {
    const trail = (await callEvents(db.db, 'c1')).filter((e) => e.source === 'routing').map((e) => e.type);
    expect(trail).toEqual(['queue.enqueue', 'queue.reserve', 'queue.answer', 'queue.complete']);
  });

  it('reads a log entry whose data holds the separator', async () => {
    const { rowOf } = await import('./queue-log.js');
    expect(rowOf('1-0', ['v', '1767603600000|agent-state|||a1||{"reason":"a|b"}'])).toEqual({
      streamId: '1-0',
      at: new Date(1767603600000),
      event: 'agent-state',
      queue: null,
      callId: null,
      agent: 'a1',
      waitMs: null,
      data: { reason: 'a|b' },
    });
  });

  it('writes nothing twice when the same entries are read again', async () => {
    const before = await db.db.query('SELECT count(*)::int AS n FROM queue_log');
    const entries = await f.t.redis.xrange(f.t.keys.routingLog(), '-', '+');
    const { insertRows, rowOf } = await import('./queue-log.js');
    await insertRows(
      db.db,
      entries.map(([id, fields]) => rowOf(id, fields)),
    );
    const after = await db.db.query('SELECT count(*)::int AS n FROM queue_log');
    expect(after.rows[0]).toEqual(before.rows[0]);
    expect((await callEvents(db.db, 'c1')).length).toBe(4);
  });

  it('computes service level, ASA, AHT, abandonment and the longest wait per queue', async () => {
    const [k] = await queueKpis(db.db, {
      from: new Date(t0 - 60_000),
      to: new Date(t0 + 3_600_000),
      serviceLevelSeconds: { support: 20 },
    });
    expect(k).toMatchObject({
      queue: 'support',
      offered: 5,
      answered: 2,
      abandoned: 2,
      overflowed: 1,
      serviceLevelSeconds: 20,
      // 1 answered in 20 s / (2 answered + 1 abandoned after 20 s + 1 overflowed)
      serviceLevel: 0.25,
      asaSeconds: 20,
      // average talk (60 + 30) / 2 + average wrap-up 10
      ahtSeconds: 55,
      abandonmentRate: 0.4,
      longestWaitSeconds: 120,
    });
  });

  it('splits the figures by hour when asked', async () => {
    const rows = await queueKpis(db.db, {
      from: new Date(t0 - 60_000),
      to: new Date(t0 + 3_600_000),
      interval: 'hour',
    });
    expect(rows.reduce((n, r) => n + r.offered, 0)).toBe(5);
    for (const r of rows) expect(r.period.getUTCMinutes()).toBe(0);
  });

  it('computes per-agent figures and occupancy from the agents’ state times', async () => {
    const [a1, a2] = await agentKpis(db.db, { from: new Date(t0 - 60_000), to: new Date(t0 + 3_600_000) });
    expect(a1).toMatchObject({
      agent: 'a1',
      answered: 1,
      missed: 0,
      talkSeconds: 60,
      wrapUpSeconds: 10,
      ahtSeconds: 70,
    });
    // handling 60 s talk + 10 s wrap-up; available 2 s before the break + 220 s after wrap-up
    expect(a1!.availableSeconds).toBe(222);
    expect(a1!.occupancy).toBeCloseTo(70 / 292, 6);
    expect(a1!.auxSeconds).toBe(10);
    expect(a2).toMatchObject({ agent: 'a2', answered: 1, talkSeconds: 30, ahtSeconds: 40 });
  });
});
