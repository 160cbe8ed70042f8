// Two controller nodes as two processes (test-race-node.ts), each with its own Redis connections
// and node id, racing on one Redis key base: every round both put their callers in line, start
// together and make every decision they can. No agent may be offered to two callers (by the two
// nodes' answers and by the state left in Redis), each call is offered at most once, an offer one
// node made for the other's caller is on the owner's offers stream, and every caller is
// accounted for: offered or still waiting, and in the end answered or abandoned.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentState } from './agent-state.js';
import { CallState } from './call-state.js';
import { raceQueues } from './test-race-plan.js';
import { agentOf, routingFixture, type RoutingFixture } from './test-helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, '../../node_modules/.bin/tsx');
const ROUNDS = 4;
const CALLS_PER_ROUND = 45;
const AGENTS = 50;

interface Offer {
  callId: string;
  agents: string[];
}

/** A node process and its stdout as a queue of JSON lines. */
function startNode(options: object): { child: ChildProcessWithoutNullStreams; next(): Promise<unknown> } {
  const child = spawn(tsx, [path.join(here, 'test-race-node.ts'), JSON.stringify(options)]);
  const lines: unknown[] = [];
  const waiters: ((line: unknown) => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const value: unknown = JSON.parse(line);
    const waiter = waiters.shift();
    if (waiter) waiter(value);
    else lines.push(value);
  });
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`node process exited (${code}): ${stderr}`))),
  );
  exited.catch(() => undefined);
  return {
    child,
    next: () =>
      Promise.race([
        lines.length ? Promise.resolve(lines.shift()) : new Promise((r) => waiters.push(r)),
        exited,
      ]),
  };
}

describe('two controller processes racing on the same Redis', () => {
  let f: RoutingFixture;
  const agents = Array.from({ length: AGENTS }, (_, i) => `a${i}`);
  beforeAll(async () => {
    f = await routingFixture(
      raceQueues,
      agents.map((id, i) =>
        agentOf({
          id,
          queues: i % 3 === 0 ? ['q1', 'q2', 'q3'] : i % 3 === 1 ? ['q1', 'q3'] : ['q2'],
          skills: { tech: 1 + (i % 5), ...(i % 2 ? { billing: 1 + (i % 4) } : {}) },
          languages: ['zh', 'en'],
        }),
      ),
    );
  });
  afterAll(() => f.cleanup());

  it('never books an agent twice and loses no caller', async () => {
    const nodes = ['node-p1', 'node-p2'].map((nodeId) =>
      startNode({
        url: f.t.url,
        prefix: f.t.prefix,
        nodeId,
        rounds: ROUNDS,
        callsPerRound: CALLS_PER_ROUND,
        agents,
      }),
    );
    let crossedOffers = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const ready = (await Promise.all(nodes.map((n) => n.next()))) as { calls: string[] }[];
        const calls = ready.flatMap((r) => r.calls);
        expect(calls.length, 'every caller accepted').toBe(2 * CALLS_PER_ROUND);
        const streamsBefore = await Promise.all(
          ['node-p1', 'node-p2'].map((n) => f.t.redis.xlen(f.t.keys.routingOffers(n))),
        );
        await f.t.redis.set(f.t.keys.routing('scratch', `race-go-${round}`), '1');
        const results = (await Promise.all(nodes.map((n) => n.next()))) as { offers: Offer[] }[];

        // what the nodes were told: each call offered once, each agent to one call
        const offeredCalls = new Map<string, string>();
        const agentCall = new Map<string, string>();
        results.forEach((r, n) => {
          for (const o of r.offers) {
            expect(offeredCalls.has(o.callId), `${o.callId} offered twice`).toBe(false);
            offeredCalls.set(o.callId, `node-p${n + 1}`);
            for (const a of o.agents) {
              expect(agentCall.get(a), `${a} offered ${agentCall.get(a)} and ${o.callId}`).toBeUndefined();
              agentCall.set(a, o.callId);
            }
          }
        });
        expect(agentCall.size, 'the nodes matched callers').toBeGreaterThan(AGENTS / 2);

        // the state both left in Redis agrees, and no caller is lost
        const booked = new Map<string, string>();
        let waiting = 0;
        for (const id of calls) {
          const c = (await f.store.call(id))!;
          expect([CallState.Offered, CallState.Waiting], `${id} is ${c.state}`).toContain(c.state);
          const inLine = (await f.t.redis.zscore(f.t.keys.routingWaiting(c.queue), id)) !== null;
          expect(inLine, `${id} (${c.state}) in line`).toBe(c.state === CallState.Waiting);
          if (c.state === CallState.Waiting) {
            waiting++;
            continue;
          }
          expect(c.agents.sort()).toEqual(
            [...(results.flatMap((r) => r.offers).find((o) => o.callId === id)?.agents ?? [])].sort(),
          );
          for (const a of c.agents) {
            expect(booked.get(a), `${a} booked for ${booked.get(a)} and ${id}`).toBeUndefined();
            booked.set(a, id);
          }
        }
        expect(booked.size).toBe(agentCall.size);
        expect(offeredCalls.size + waiting).toBe(calls.length);
        for (const a of agents) {
          const view = (await f.store.agent(a))!;
          const held = booked.has(a);
          expect(view.state, a).toBe(held ? AgentState.Reserved : AgentState.Available);
          expect(view.load, a).toBe(held ? 1 : 0);
        }

        // an offer one node made for the other's caller went to the owner's stream
        const streamsAfter = await Promise.all(
          ['node-p1', 'node-p2'].map((n) => f.t.redis.xlen(f.t.keys.routingOffers(n))),
        );
        const crossed = ['node-p1', 'node-p2'].map(
          (owner) =>
            [...offeredCalls].filter(([callId, by]) => callId.startsWith(`${owner}-`) && by !== owner).length,
        );
        expect(streamsAfter[0]! - streamsBefore[0]!).toBe(crossed[0]);
        expect(streamsAfter[1]! - streamsBefore[1]!).toBe(crossed[1]);
        crossedOffers += crossed[0]! + crossed[1]!;

        // the calls end; waiting callers hang up; every caller is answered or abandoned
        for (const id of calls) {
          const c = (await f.store.call(id))!;
          if (c.state === CallState.Offered) {
            expect((await f.store.answered(id, c.agents[0]!)).kind).toBe('connected');
            expect((await f.store.callEnded(id, c.agents[0]!, 0)).kind).toBe('free');
          } else {
            expect((await f.store.abandon(id)).kind).toBe('abandoned');
          }
        }
        for (const id of calls)
          expect([CallState.Completed, CallState.Abandoned]).toContain((await f.store.call(id))!.state);
        await f.t.redis.set(f.t.keys.routing('scratch', `race-next-${round}`), '1');
      }
      // the nodes did race: some agents went to the other node's callers
      expect(crossedOffers).toBeGreaterThan(0);
    } finally {
      for (const n of nodes) n.child.kill();
    }
  });
});
