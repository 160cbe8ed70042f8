// Properties of the routing state under any sequence of events, against the real Redis:
// no agent is ever booked beyond its capacity (never twice for maxCalls 1), the pools agree with
// the agents' states, and no caller is lost: every accepted call ends answered (completed),
// abandoned or overflowed. Plus two controller nodes racing on the same Redis.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentState } from './agent-state.js';
import { CallState, finalCallStates } from './call-state.js';
import { classPart } from './pool-keys.js';
import { strategyNames } from './strategies/index.js';
import type { RoutingStore } from './store.js';
import { agentOf, ManualClock, queueOf, routingFixture, type RoutingFixture } from './test-helpers.js';

const skills = ['tech', 'billing', 'complaints'];
const languages = ['zh', 'en'];

const agentArb = fc.record({
  skills: fc.dictionary(fc.constantFrom(...skills), fc.integer({ min: 1, max: 5 }), { maxKeys: 3 }),
  languages: fc.subarray(languages, { minLength: 1 }),
  maxCalls: fc.constantFrom(1, 1, 1, 2),
  queues: fc.subarray(['q1', 'q2'], { minLength: 1 }),
});

const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const opArb = fc.oneof(
  w(
    5,
    fc.record({
      op: fc.constant('enqueue' as const),
      queue: fc.constantFrom('q1', 'q2'),
      skill: fc.option(fc.constantFrom(...skills)),
      level: fc.integer({ min: 1, max: 5 }),
      // a second skill now and then: requirements of three checks (a language and two skills)
      also: fc.option(
        fc.record({ skill: fc.constantFrom(...skills), level: fc.integer({ min: 1, max: 4 }) }),
        {
          freq: 3,
        },
      ),
      language: fc.option(fc.constantFrom(...languages)),
      priority: fc.constantFrom(0, 0, 10),
    }),
  ),
  w(3, fc.record({ op: fc.constant('dispatchCall' as const), pick: fc.nat() })),
  w(3, fc.record({ op: fc.constant('dispatchAgent' as const), pick: fc.nat() })),
  w(2, fc.record({ op: fc.constant('ringing' as const), pick: fc.nat() })),
  w(3, fc.record({ op: fc.constant('answer' as const), pick: fc.nat() })),
  w(1, fc.record({ op: fc.constant('noAnswer' as const), pick: fc.nat() })),
  w(1, fc.record({ op: fc.constant('abandon' as const), pick: fc.nat() })),
  w(1, fc.record({ op: fc.constant('overflow' as const), pick: fc.nat() })),
  w(1, fc.record({ op: fc.constant('callback' as const), pick: fc.nat() })),
  w(3, fc.record({ op: fc.constant('end' as const), pick: fc.nat(), wrap: fc.constantFrom(0, 5) })),
  w(
    1,
    fc.record({
      op: fc.constant('agentState' as const),
      pick: fc.nat(),
      to: fc.constantFrom('available' as const, 'aux' as const, 'logged-out' as const),
    }),
  ),
  w(2, fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 30_000 }) })),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const nth = <T>(items: T[], pick: number): T | undefined =>
  items.length ? items[pick % items.length] : undefined;

async function offeredPairs(store: RoutingStore, calls: string[]): Promise<[string, string][]> {
  const pairs: [string, string][] = [];
  for (const id of calls) {
    const c = await store.call(id);
    if (c?.state === CallState.Offered) for (const a of c.agents) pairs.push([id, a]);
  }
  return pairs;
}

async function callsIn(store: RoutingStore, calls: string[], state: CallState): Promise<string[]> {
  const out: string[] = [];
  for (const id of calls) if ((await store.call(id))?.state === state) out.push(id);
  return out;
}

/** Every invariant that must hold between any two events. */
async function checkInvariants(f: RoutingFixture, agentIds: string[], calls: string[]): Promise<void> {
  const { store, t } = f;
  // the class sets stand in for the match index where there is none (EVAL) and are not kept
  // beside it (call.lua)
  const classSets =
    (store as unknown as { scripts: { functions: boolean | null } }).scripts.functions === false;
  const holding = new Map<string, string[]>(agentIds.map((a) => [a, []]));
  for (const id of calls) {
    const c = (await store.call(id))!;
    const waiting = await t.redis.zrange(t.keys.routingWaiting(c.queue), '0', '-1');
    const inLine = waiting.filter((m) => m === id).length;
    expect(inLine, `call ${id} (${c.state}) in line ${inLine} times`).toBe(
      c.state === CallState.Waiting ? 1 : 0,
    );
    if (c.state === CallState.Waiting && !classSets) {
      expect(await t.redis.exists(t.keys.routing('classWaiting', c.queue, c.requirement))).toBe(0);
    }
    if (c.state === CallState.Waiting && classSets) {
      // in its requirement class, and the class index holds that class at its best caller's score
      const classKey = t.keys.routing('classWaiting', c.queue, c.requirement);
      const inClass = await t.redis.zscore(classKey, id);
      expect(inClass, `call ${id} in class ${c.requirement}`).not.toBeNull();
      const head = await t.redis.zscore(
        t.keys.routing('classIndex', c.queue, classPart(c.requirement)),
        c.requirement,
      );
      const best = await t.redis.zrange(classKey, '0', '0', 'WITHSCORES');
      expect(Number(head), `class ${c.requirement} in the index at its head's score`).toBe(Number(best[1]));
      expect(Number(head)).toBeLessThanOrEqual(Number(inClass));
    }
    if (c.state === CallState.Offered || c.state === CallState.Connected)
      for (const a of c.agents) holding.get(a)!.push(id);
  }
  // no class left in the index without callers, nor filed in the wrong part
  for (const q of ['q1', 'q2'])
    for (const part of ['', ...skills]) {
      const index = await t.redis.zrange(t.keys.routing('classIndex', q, part), '0', '-1', 'WITHSCORES');
      if (!classSets) expect(index, `class index ${q} '${part}' kept beside the match index`).toEqual([]);
      for (let i = 0; i < index.length; i += 2) {
        expect(classPart(index[i]!), `${index[i]} in part '${part}'`).toBe(part);
        const best = await t.redis.zrange(
          t.keys.routing('classWaiting', q, index[i]!),
          '0',
          '0',
          'WITHSCORES',
        );
        expect(Number(best[1]), `class ${index[i]} of ${q} in the index`).toBe(Number(index[i + 1]));
      }
    }
  // the match index holds what the keys hold: each queue's free agents in its order, by skill
  // (nobody but the queue's free agents with that skill), and each class's callers in line
  if (!classSets) expect(await store.checkMatchIndex(), 'match index against the keys').toEqual([]);
  for (const id of agentIds) {
    const a = (await store.agent(id))!;
    const held = holding.get(id)!;
    expect(held.length, `${id} holds ${held.join(',')}`).toBeLessThanOrEqual(a.maxCalls);
    expect(a.load, `${id} load`).toBe(held.length);
    const busy = [AgentState.Reserved, AgentState.Ringing, AgentState.OnCall].includes(a.state);
    expect(busy, `${id} is ${a.state} holding ${held.length}`).toBe(held.length > 0);
    const routable =
      a.load < a.maxCalls && (a.state === AgentState.Available || a.state === AgentState.OnCall);
    for (const q of a.queues) {
      const idx = await idxOf(f, id);
      const score = await t.redis.zscore(t.keys.routingAvailable(q), idx);
      expect(score !== null, `${id} (${a.state}, load ${a.load}) in ${q}'s pool`).toBe(routable);
    }
  }
}

const indexCache = new Map<string, string>();
async function idxOf(f: RoutingFixture, id: string): Promise<string> {
  const key = `${f.t.prefix}:${id}`;
  if (!indexCache.has(key)) indexCache.set(key, (await f.t.redis.hget(f.t.keys.routing('agentIndex'), id))!);
  return indexCache.get(key)!;
}

/** Applies one event; returns what a decision (dispatch) answered, if the event was one. */
async function apply(
  f: RoutingFixture,
  op: Op,
  agentIds: string[],
  calls: string[],
  seq: { n: number },
): Promise<unknown> {
  const { store, clock } = f;
  switch (op.op) {
    case 'enqueue': {
      const callId = `c${++seq.n}`;
      const r = await f.enqueue(op.queue, {
        callId,
        skills: op.skill
          ? { ...(op.also ? { [op.also.skill]: op.also.level } : {}), [op.skill]: op.level }
          : undefined,
        language: op.language ?? undefined,
        priority: op.priority,
      });
      if (r.kind === 'queued') calls.push(callId);
      return r;
    }
    case 'dispatchCall': {
      const id = nth(await callsIn(store, calls, CallState.Waiting), op.pick);
      if (id) return store.dispatchCall(id);
      return;
    }
    case 'dispatchAgent': {
      const id = nth(agentIds, op.pick);
      if (id) return store.dispatchAgent(id, 4);
      return;
    }
    case 'ringing': {
      const pair = nth(await offeredPairs(store, calls), op.pick);
      if (pair) await store.ringing(pair[0], pair[1], clock.now() + 15_000);
      return;
    }
    case 'answer': {
      const pair = nth(await offeredPairs(store, calls), op.pick);
      if (pair) await store.answered(pair[0], pair[1]);
      return;
    }
    case 'noAnswer': {
      const pair = nth(await offeredPairs(store, calls), op.pick);
      if (pair) await store.noAnswer(pair[0], pair[1], 'no-answer', 2);
      return;
    }
    case 'abandon': {
      const open = [
        ...(await callsIn(store, calls, CallState.Waiting)),
        ...(await callsIn(store, calls, CallState.Offered)),
      ];
      const id = nth(open, op.pick);
      if (id) await store.abandon(id);
      return;
    }
    case 'overflow': {
      const id = nth(await callsIn(store, calls, CallState.Waiting), op.pick);
      if (id) await store.overflow(id, { voicemail: true });
      return;
    }
    case 'callback': {
      const id = nth(await callsIn(store, calls, CallState.Waiting), op.pick);
      if (id) await store.callback(id, '+100', 5);
      return;
    }
    case 'end': {
      const id = nth(await callsIn(store, calls, CallState.Connected), op.pick);
      if (id) await store.callEnded(id, (await store.call(id))!.agent!, op.wrap);
      return;
    }
    case 'agentState': {
      const id = nth(agentIds, op.pick);
      if (id) await store.setAgentState(id, op.to, op.to === 'aux' ? 'break' : '').catch(() => undefined);
      return;
    }
    case 'tick':
      clock.advance(op.ms);
      await store.sweep();
      return;
  }
}

/** Ends everything still open the way a shift ends, and returns each call's final state. */
async function drain(f: RoutingFixture, calls: string[]): Promise<Map<string, string>> {
  const { store } = f;
  for (let round = 0; round < 50; round++) {
    for (const [callId, agent] of await offeredPairs(store, calls)) await store.answered(callId, agent);
    for (const id of await callsIn(store, calls, CallState.Connected))
      await store.callEnded(id, (await store.call(id))!.agent!, 0);
    for (const id of await callsIn(store, calls, CallState.Waiting))
      await store.overflow(id, { voicemail: true });
    const open = [
      ...(await callsIn(store, calls, CallState.Waiting)),
      ...(await callsIn(store, calls, CallState.Offered)),
      ...(await callsIn(store, calls, CallState.Connected)),
    ];
    if (!open.length) break;
  }
  const finals = new Map<string, string>();
  for (const id of calls) finals.set(id, (await store.call(id))!.state);
  return finals;
}

describe('routing invariants (property-based, real Redis)', () => {
  it('never books an agent beyond capacity, keeps pools and states in step, and loses no caller', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(agentArb, { minLength: 2, maxLength: 6 }),
        fc.constantFrom(...strategyNames),
        fc.array(opArb, { minLength: 20, maxLength: 100 }),
        async (agents, strategy, ops) => {
          const profiles = agents.map((a, i) => agentOf({ id: `a${i}`, ...a }));
          const f = await routingFixture(
            [
              queueOf({
                name: 'q1',
                strategy,
                steps: [{ seconds: 20, skills: { tech: 3 } }, { skills: {} }],
              }),
              queueOf({ name: 'q2', strategy: 'longest-idle', affinitySeconds: 10, joinEmpty: true }),
            ],
            profiles,
            new ManualClock(),
          );
          try {
            const agentIds = profiles.map((p) => p.id);
            const calls: string[] = [];
            const seq = { n: 0 };
            for (const op of ops) {
              await apply(f, op, agentIds, calls, seq);
              await checkInvariants(f, agentIds, calls);
            }
            const finals = await drain(f, calls);
            for (const [id, state] of finals)
              expect(
                [CallState.Completed, CallState.Abandoned, CallState.Overflowed],
                `call ${id} ended ${state}`,
              ).toContain(state);
            expect(finals.size).toBe(calls.length);
            expect([...finals.values()].every((s) => finalCallStates.includes(s as CallState))).toBe(true);
          } finally {
            await f.cleanup();
          }
        },
      ),
      { numRuns: Number(process.env.ROUTING_PROPERTY_RUNS ?? 40) },
    );
  });
});

/** A fixture whose scripts run without the match index (EVAL: decisions read the keys) when `keys`. */
async function fixtureReading(
  keys: boolean,
  queues: Parameters<typeof routingFixture>[0],
  profiles: Parameters<typeof routingFixture>[1],
): Promise<RoutingFixture> {
  const f = await routingFixture(queues, [], new ManualClock());
  if (keys) (f.store as unknown as { scripts: { functions: boolean | null } }).scripts.functions = false;
  for (const a of profiles) {
    await f.store.loadAgent(a);
    f.clock.advance(1000);
  }
  return f;
}

/**
 * A decision's answer as far as it books anything: with the index an agent-driven decision answers
 * `none` at once when nobody waits, without reading whether the agent is busy, where the keys
 * tell `busy`; neither books.
 */
const booked = (answer: unknown): unknown =>
  (answer as { kind?: string } | undefined)?.kind === 'busy' ? { kind: 'none' } : answer;

describe('the match index (property-based, real Redis)', () => {
  it('makes every decision the keys make, event after event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(agentArb, { minLength: 2, maxLength: 8 }),
        // random draws its own numbers: the same event need not pick the same agent twice
        fc.constantFrom(...strategyNames.filter((s) => s !== 'random')),
        fc.array(opArb, { minLength: 20, maxLength: 120 }),
        async (agents, strategy, ops) => {
          const profiles = agents.map((a, i) => agentOf({ id: `a${i}`, ...a }));
          const queues = [
            queueOf({ name: 'q1', strategy, steps: [{ seconds: 20, skills: { tech: 3 } }, { skills: {} }] }),
            queueOf({ name: 'q2', strategy: 'best-skill', affinitySeconds: 10, joinEmpty: true }),
          ];
          const indexed = await fixtureReading(false, queues, profiles);
          const fromKeys = await fixtureReading(true, queues, profiles);
          try {
            const agentIds = profiles.map((p) => p.id);
            const state = [indexed, fromKeys].map(() => ({ calls: [] as string[], seq: { n: 0 } }));
            for (const [i, op] of ops.entries()) {
              const viaIndex = await apply(indexed, op, agentIds, state[0]!.calls, state[0]!.seq);
              const viaKeys = await apply(fromKeys, op, agentIds, state[1]!.calls, state[1]!.seq);
              expect(booked(viaIndex), `event ${i}: ${JSON.stringify(op)}`).toEqual(booked(viaKeys));
            }
            expect(await indexed.store.matchIndex()).toMatchObject({ built: true });
            expect(await fromKeys.store.matchIndex()).toMatchObject({ built: false });
            await checkInvariants(indexed, agentIds, state[0]!.calls);
            await checkInvariants(fromKeys, agentIds, state[1]!.calls);
          } finally {
            await indexed.cleanup();
            await fromKeys.cleanup();
          }
        },
      ),
      { numRuns: Number(process.env.ROUTING_PROPERTY_RUNS ?? 40) },
    );
  });
});

describe('two controller nodes racing on the same Redis', () => {
  let f: RoutingFixture;
  const agentCount = 40;
  beforeAll(async () => {
    f = await routingFixture(
      [
        queueOf({ name: 'q1', maxSize: 10_000 }),
        queueOf({ name: 'q2', strategy: 'ring-all', ringAllMax: 3 }),
      ],
      Array.from({ length: agentCount }, (_, i) =>
        agentOf({
          id: `a${i}`,
          queues: i % 2 ? ['q1', 'q2'] : ['q1'],
          skills: { tech: 1 + (i % 5) },
          languages: i % 3 ? ['zh'] : ['en', 'zh'],
        }),
      ),
    );
  });
  afterAll(() => f.cleanup());

  it('never hands one agent to two callers, whichever node decides', async () => {
    const nodeA = f.store;
    const nodeB = f.otherNode('node-b');
    let n = 0;
    for (let round = 0; round < 5; round++) {
      const calls: string[] = [];
      for (let i = 0; i < 60; i++) {
        const callId = `r${round}-${++n}`;
        const queue = i % 4 === 0 ? 'q2' : 'q1';
        await f.enqueue(queue, { callId, skills: { tech: 1 + (i % 3) } }, i % 2 ? nodeA : nodeB);
        calls.push(callId);
      }
      const agents = Array.from({ length: agentCount }, (_, i) => `a${i}`);
      // every decision from both nodes at once: call-driven and agent-driven, interleaved
      const offers = await Promise.all([
        ...calls.map(async (c, i) => {
          const r = await (i % 2 ? nodeA : nodeB).dispatchCall(c);
          return r.kind === 'offered' ? { callId: c, agents: r.agents } : null;
        }),
        ...agents.map(async (a, i) => {
          const r = await (i % 2 ? nodeB : nodeA).dispatchAgent(a);
          return r.kind === 'offered' ? { callId: r.callId, agents: [a] } : null;
        }),
        ...calls.map(async (c, i) => {
          const r = await (i % 2 ? nodeB : nodeA).dispatchCall(c);
          return r.kind === 'offered' ? { callId: c, agents: r.agents } : null;
        }),
      ]);
      // what the nodes were told: each call offered once, each agent to one call
      const offeredCalls = new Set<string>();
      const offeredAgents = new Map<string, string>();
      for (const o of offers) {
        if (!o) continue;
        expect(offeredCalls.has(o.callId), `${o.callId} offered twice`).toBe(false);
        offeredCalls.add(o.callId);
        for (const a of o.agents) {
          expect(
            offeredAgents.get(a),
            `${a} offered ${offeredAgents.get(a)} and ${o.callId}`,
          ).toBeUndefined();
          offeredAgents.set(a, o.callId);
        }
      }
      expect(offeredAgents.size).toBe(agentCount);
      const booked = new Map<string, string>();
      // the state both nodes left behind: each agent in at most one offered call
      for (const id of calls) {
        const c = (await nodeA.call(id))!;
        if (c.state !== CallState.Offered) continue;
        for (const a of c.agents) {
          expect(booked.get(a), `${a} booked for ${booked.get(a)} and ${id}`).toBeUndefined();
          booked.set(a, id);
        }
      }
      expect(booked.size).toBe(agentCount);
      await checkInvariants(f, agents, calls);
      // both nodes answer and end their calls, then the next round races again
      for (const id of calls) {
        const c = (await nodeA.call(id))!;
        if (c.state === CallState.Offered) {
          await (c.node === 'node-a' ? nodeA : nodeB).answered(id, c.agents[0]!);
          await (c.node === 'node-a' ? nodeA : nodeB).callEnded(id, c.agents[0]!, 0);
        } else if (c.state === CallState.Waiting) {
          await nodeA.abandon(id);
        }
      }
    }
  });
});
