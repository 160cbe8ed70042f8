// Decisions in batches (dispatchCalls-0.lua, dispatchAgents-0.lua and the store's batcher): a run
// that decides many callers or agents must never book an agent twice nor lose a caller, whatever
// the mix, repeats and concurrency of the runs; and a batch decides callers in line order.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { AgentState } from './agent-state.js';
import { CallState } from './call-state.js';
import { rowsOf } from './queue-log.js';
import type { RoutingStore } from './store.js';
import { agentOf, queueOf, routingFixture } from './test-helpers.js';

const skills = ['tech', 'billing'];

const agentArb = fc.record({
  skills: fc.dictionary(fc.constantFrom(...skills), fc.integer({ min: 1, max: 5 }), { maxKeys: 2 }),
  maxCalls: fc.constantFrom(1, 1, 2),
  queues: fc.subarray(['q1', 'q2', 'q3'], { minLength: 1 }),
});

const callArb = fc.record({
  queue: fc.constantFrom('q1', 'q2', 'q3'),
  skill: fc.option(fc.constantFrom(...skills)),
  level: fc.integer({ min: 1, max: 5 }),
  priority: fc.constantFrom(0, 0, 10),
});

// one run: some callers' or some agents' decisions, by index (repeats allowed), on node a or b
const runArb = fc.record({
  kind: fc.constantFrom('calls' as const, 'agents' as const, 'one-by-one' as const),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
  node: fc.constantFrom(0, 1),
});

describe('decisions in batches (property-based, real Redis)', () => {
  it('never book an agent beyond capacity and lose no caller, however runs are mixed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(agentArb, { minLength: 1, maxLength: 8 }),
        fc.array(callArb, { minLength: 1, maxLength: 20 }),
        fc.array(runArb, { minLength: 1, maxLength: 6 }),
        async (agents, callers, runs) => {
          const profiles = agents.map((a, i) => agentOf({ id: `a${i}`, languages: ['zh'], ...a }));
          const f = await routingFixture(
            [
              queueOf({ name: 'q1', strategy: 'longest-idle', joinEmpty: true }),
              queueOf({ name: 'q2', strategy: 'ring-all', ringAllMax: 2, joinEmpty: true }),
              queueOf({ name: 'q3', strategy: 'best-skill', joinEmpty: true, steps: [{ skills: {} }] }),
            ],
            profiles,
          );
          try {
            const nodes: RoutingStore[] = [f.store, f.otherNode('node-b')];
            const calls: string[] = [];
            for (const [i, c] of callers.entries()) {
              const r = await f.enqueue(
                c.queue,
                {
                  callId: `c${i}`,
                  skills: c.skill ? { [c.skill]: c.level } : undefined,
                  priority: c.priority,
                },
                nodes[i % 2],
              );
              if (r.kind === 'queued') calls.push(`c${i}`);
            }
            const agentIds = profiles.map((p) => p.id);
            // every run at once: the runs race each other as two nodes' would
            const answers = await Promise.all(
              runs.map(async (run) => {
                const node = nodes[run.node]!;
                if (run.kind === 'agents') {
                  const ids = run.picks.map((p) => agentIds[p % agentIds.length]!);
                  const r = await node.dispatchAgents(ids, 2);
                  return r.flatMap((d, i) => (d.kind === 'offered' ? [[d.callId, ids[i]!] as const] : []));
                }
                if (!calls.length) return [];
                const ids = run.picks.map((p) => calls[p % calls.length]!);
                const r =
                  run.kind === 'calls'
                    ? await node.dispatchCalls(ids)
                    : await Promise.all(ids.map((id) => node.dispatchCall(id)));
                return r.flatMap((d, i) =>
                  d.kind === 'offered' ? d.agents.map((a) => [ids[i]!, a] as const) : [],
                );
              }),
            );
            // each (call, agent) offer was made once, and is what Redis holds
            const offered = answers.flat();
            const pairs = new Set(offered.map(([c, a]) => `${c} ${a}`));
            expect(pairs.size, 'an offer made twice').toBe(offered.length);
            const held = new Map<string, string[]>(agentIds.map((a) => [a, []]));
            for (const id of calls) {
              const c = (await f.store.call(id))!;
              const inLine = (await f.t.redis.zscore(f.t.keys.routingWaiting(c.queue), id)) !== null;
              expect(inLine, `${id} (${c.state}) in line`).toBe(c.state === CallState.Waiting);
              expect([CallState.Waiting, CallState.Offered]).toContain(c.state);
              if (c.state === CallState.Offered) {
                for (const a of c.agents) {
                  expect(pairs.has(`${id} ${a}`), `${id} holds ${a} nobody was told of`).toBe(true);
                  held.get(a)!.push(id);
                }
              }
            }
            expect([...held.values()].flat().length).toBe(offered.length);
            for (const p of profiles) {
              const a = (await f.store.agent(p.id))!;
              const mine = held.get(p.id)!;
              expect(mine.length, `${p.id} holds ${mine.join(',')}`).toBeLessThanOrEqual(p.maxCalls);
              expect(a.load).toBe(mine.length);
              if (mine.length === 0) expect(a.state).toBe(AgentState.Available);
            }
            // every caller is accounted for to the end: answered and completed, or abandoned
            for (const id of calls) {
              const c = (await f.store.call(id))!;
              if (c.state === CallState.Offered) {
                expect((await f.store.answered(id, c.agents[0]!)).kind).toBe('connected');
                await f.store.callEnded(id, c.agents[0]!, 0);
              } else {
                expect((await f.store.abandon(id)).kind).toBe('abandoned');
              }
            }
            for (const id of calls)
              expect([CallState.Completed, CallState.Abandoned]).toContain((await f.store.call(id))!.state);
          } finally {
            await f.cleanup();
          }
        },
      ),
      { numRuns: Number(process.env.ROUTING_PROPERTY_RUNS ?? 40) },
    );
  });

  it('decides the callers of one run in line order, whatever order they are given in', async () => {
    const f = await routingFixture(
      [queueOf({ name: 'q1', strategy: 'longest-idle' })],
      [agentOf({ id: 'a1', queues: ['q1'], skills: {}, languages: ['zh'] })],
    );
    try {
      await f.enqueue('q1', { callId: 'early' });
      f.clock.advance(1000);
      await f.enqueue('q1', { callId: 'vip', priority: 10 });
      f.clock.advance(1000);
      await f.enqueue('q1', { callId: 'late' });
      const [late, early, vip] = await f.store.dispatchCalls(['late', 'early', 'vip']);
      expect(vip).toMatchObject({ kind: 'offered', agents: ['a1'] });
      expect(early).toMatchObject({ kind: 'none' });
      expect(late).toMatchObject({ kind: 'none' });
    } finally {
      await f.cleanup();
    }
  });

  it('sends the decisions asked for while a run is in flight together in the next run', async () => {
    const f = await routingFixture(
      [queueOf({ name: 'q1', strategy: 'longest-idle' })],
      Array.from({ length: 6 }, (_, i) =>
        agentOf({ id: `a${i}`, queues: ['q1'], skills: {}, languages: ['zh'] }),
      ),
    );
    try {
      for (let i = 0; i < 6; i++) await f.enqueue('q1', { callId: `c${i}` });
      const runs = vi.spyOn(f.store, 'dispatchCalls');
      // asked for in one go: they share the first run
      const first = await Promise.all([0, 1, 2].map((i) => f.store.dispatchCall(`c${i}`)));
      expect(runs.mock.calls).toEqual([[['c0', 'c1', 'c2']]]);
      // asked for while a run is in flight: the next run takes them together
      const inFlight = f.store.dispatchCall('c3');
      await Promise.resolve();
      const later = [4, 5].map((i) => f.store.dispatchCall(`c${i}`));
      const rest = await Promise.all([inFlight, ...later]);
      expect(runs.mock.calls.slice(1)).toEqual([[['c3']], [['c4', 'c5']]]);
      const results = [...first, ...rest];
      expect(results.every((r) => r.kind === 'offered')).toBe(true);
      expect(new Set(results.flatMap((r) => (r.kind === 'offered' ? r.agents : []))).size).toBe(6);
    } finally {
      await f.cleanup();
    }
  });

  it("writes a run's events in one log entry, read back as one row each, and every reservation", async () => {
    const f = await routingFixture(
      [queueOf({ name: 'q1', strategy: 'longest-idle' })],
      Array.from({ length: 3 }, (_, i) =>
        agentOf({ id: `a${i}`, queues: ['q1'], skills: {}, languages: ['zh'] }),
      ),
    );
    try {
      for (let i = 0; i < 3; i++) await f.enqueue('q1', { callId: `c${i}` });
      const before = await f.t.redis.xlen(f.t.keys.routingLog());
      const results = await f.store.dispatchCalls(['c0', 'c1', 'c2']);
      expect(results.map((r) => r.kind)).toEqual(['offered', 'offered', 'offered']);
      const entries = await f.t.redis.xrange(f.t.keys.routingLog(), '-', '+');
      expect(entries.length).toBe(before + 1);
      const [id, fields] = entries[entries.length - 1]!;
      const rows = rowsOf(id, fields);
      expect(rows.map((r) => [r.streamId, r.event, r.callId])).toEqual([
        [id, 'reserve', 'c0'],
        [`${id}/1`, 'reserve', 'c1'],
        [`${id}/2`, 'reserve', 'c2'],
      ]);
      // the calls left the line, and each reservation has its deadline
      expect(await f.t.redis.zcard(f.t.keys.routingWaiting('q1'))).toBe(0);
      const reservations = await f.t.redis.zrange(f.t.keys.routing('reservations'), '0', '-1');
      expect(reservations.sort()).toEqual(['c0 a0', 'c1 a1', 'c2 a2']);
    } finally {
      await f.cleanup();
    }
  });

  it("offers an agent booked earlier in a run to no later caller of it, though the queue's set is trimmed at the run's end", async () => {
    const f = await routingFixture(
      [queueOf({ name: 'q1', strategy: 'longest-idle', affinitySeconds: 15 })],
      [
        agentOf({ id: 'a0', queues: ['q1'], skills: {}, languages: ['zh'] }),
        agentOf({ id: 'a1', queues: ['q1'], skills: {}, languages: ['zh'] }),
      ],
    );
    try {
      // c0 and c1 both wait for their previous agent a0; c2 takes anyone
      await f.enqueue('q1', { callId: 'c0', lastAgent: 'a0' });
      await f.enqueue('q1', { callId: 'c1', lastAgent: 'a0' });
      await f.enqueue('q1', { callId: 'c2' });
      const results = await f.store.dispatchCalls(['c0', 'c1', 'c2']);
      expect(results).toMatchObject([
        { kind: 'offered', agents: ['a0'] },
        { kind: 'none' },
        { kind: 'offered', agents: ['a1'] },
      ]);
      // after the run, neither booked agent is left in the queue's available set
      expect(await f.t.redis.zcard(f.t.keys.routingAvailable('q1'))).toBe(0);
    } finally {
      await f.cleanup();
    }
  });
});
