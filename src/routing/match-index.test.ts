// The match index (lua/includes/index.lua): the routing library keeps, in its own memory, which
// agents are free in each queue's order by skill and which callers wait in which class, so a
// decision finds its candidate without reading Redis. The keys stay the authority: the index is
// built from them when the library has none (loaded again, Redis restarted), rebuilt when another
// copy of the library changed them (the stamp moved), and repaired when a decision finds it wrong.
import { afterEach, describe, expect, it } from 'vitest';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from './test-helpers.js';

describe('the match index', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  const idx = async (id: string) => (await f.t.redis.hget(f.t.keys.routing('agentIndex'), id))!;
  const idxOf = idx;

  async function threeAgents(strategy: 'longest-idle' | 'best-skill' = 'longest-idle') {
    f = await routingFixture(
      [queueOf({ name: 'q1', strategy })],
      [
        agentOf({ id: 'a1', queues: ['q1'], skills: { tech: 3, billing: 2 }, languages: ['zh'] }),
        agentOf({ id: 'a2', queues: ['q1'], skills: { tech: 3 }, languages: ['zh'] }),
        agentOf({ id: 'a3', queues: ['q1'], skills: { tech: 1 }, languages: ['zh'] }),
      ],
    );
  }

  it('keeps the queue order by skill, passes over a reserved agent, and files it at the back when free', async () => {
    await threeAgents();
    expect(await f.store.checkMatchIndex()).toEqual([]);
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 3 } });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'offered', agents: ['a1'] });
    await f.enqueue('q1', { callId: 'c2', skills: { tech: 3 } });
    expect(await f.store.dispatchCall('c2')).toMatchObject({ kind: 'offered', agents: ['a2'] });
    expect(await f.store.checkMatchIndex()).toEqual([]);
    expect(await f.store.matchIndex()).toMatchObject({ built: true, freeAgents: 1, waitingCalls: 0 });

    // a1 free again: idle the shortest, so behind a3 for a call any of them may take
    await f.store.answered('c1', 'a1');
    f.clock.advance(1000);
    await f.store.callEnded('c1', 'a1', 0);
    await f.store.setAgentState('a1', 'available');
    expect(await f.store.checkMatchIndex()).toEqual([]);
    await f.enqueue('q1', { callId: 'c3', skills: { tech: 1 } });
    expect(await f.store.dispatchCall('c3')).toMatchObject({ kind: 'offered', agents: ['a3'] });
    await f.enqueue('q1', { callId: 'c4', skills: { billing: 1 } });
    expect(await f.store.dispatchCall('c4')).toMatchObject({ kind: 'offered', agents: ['a1'] });
    expect(await f.store.checkMatchIndex()).toEqual([]);
  });

  it('answers a free agent at once while nobody waits, counting callers into and out of line', async () => {
    await threeAgents();
    expect(await f.store.dispatchAgent('a1')).toEqual({ kind: 'none' });
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 3 } });
    await f.enqueue('q1', { callId: 'c2', skills: { tech: 1 } });
    expect(await f.store.checkMatchIndex()).toEqual([]);
    await f.store.abandon('c2');
    expect(await f.store.checkMatchIndex()).toEqual([]);
    // someone waits: the agent is read and its skills decide
    expect(await f.store.dispatchAgent('a3')).toEqual({ kind: 'none' });
    expect(await f.store.dispatchAgent('a2')).toMatchObject({ kind: 'offered', callId: 'c1' });
    expect(await f.store.checkMatchIndex()).toEqual([]);
    // nobody left in line: the answer comes before the agent is read (a2, now reserved, would be busy)
    expect(await f.store.dispatchAgent('a2')).toEqual({ kind: 'none' });
    await f.enqueue('q1', { callId: 'c3', skills: { tech: 1 } });
    expect(await f.store.dispatchAgent('a2')).toMatchObject({ kind: 'busy' });
    expect(await f.store.dispatchAgent('a3')).toMatchObject({ kind: 'offered', callId: 'c3' });
    expect(await f.store.checkMatchIndex()).toEqual([]);
  });

  it('orders agents tied on score as the available set does, by their index as text (10 before 9)', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q1' })],
      Array.from({ length: 12 }, (_, i) => agentOf({ id: `a${i + 1}`, queues: ['q1'], skills: { tech: 3 } })),
    );
    // all back from a break in the same millisecond: the same idle score
    for (let i = 1; i <= 12; i++) await f.store.setAgentState(`a${i}`, 'aux', 'break');
    for (let i = 1; i <= 12; i++) await f.store.setAgentState(`a${i}`, 'available');
    expect(await f.store.checkMatchIndex()).toEqual([]);
    const order = await f.t.redis.zrange(f.t.keys.routing('available', 'q1'), '0', '-1');
    expect(order.slice(0, 4)).toEqual(['1', '10', '11', '12']);
    const offered: string[] = [];
    for (let i = 1; i <= 4; i++) {
      await f.enqueue('q1', { callId: `c${i}`, skills: { tech: 1 } });
      const r = await f.store.dispatchCall(`c${i}`);
      if (r.kind === 'offered') offered.push(await idxOf(r.agents[0]!));
    }
    expect(offered).toEqual(['1', '10', '11', '12']);
    expect(await f.store.checkMatchIndex()).toEqual([]);
  });

  it("keeps every agent's id and skills right as profiles change length", async () => {
    f = await routingFixture(
      [queueOf({ name: 'q1' })],
      Array.from({ length: 5 }, (_, i) =>
        agentOf({ id: `agent-${i + 1}`, queues: ['q1'], skills: { tech: 2 } }),
      ),
    );
    const skills: Record<string, number>[] = [
      { tech: 2, billing: 5, complaints: 4 },
      { sales: 1 },
      { tech: 2, retention: 3 },
    ];
    for (const s of skills) {
      await f.store.loadAgent(agentOf({ id: 'agent-2', queues: ['q1'], skills: s }));
      expect(await f.store.checkMatchIndex()).toEqual([]);
    }
    // agent-2 now lacks billing: a billing call waits; the others' ids still name the right agents
    await f.enqueue('q1', { callId: 'c1', skills: { retention: 3 } });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'offered', agents: ['agent-2'] });
    await f.enqueue('q1', { callId: 'c2', skills: { tech: 2 } });
    expect(await f.store.dispatchCall('c2')).toMatchObject({ kind: 'offered', agents: ['agent-1'] });
    await f.enqueue('q1', { callId: 'c3', skills: { billing: 1 } });
    expect(await f.store.dispatchCall('c3')).toMatchObject({ kind: 'none' });
    expect(await f.store.checkMatchIndex()).toEqual([]);
  });

  it("finds an agent filed ahead of where a class's last walk stopped", async () => {
    f = await routingFixture(
      [queueOf({ name: 'q1', strategy: 'fewest-calls' })],
      [
        agentOf({ id: 'a1', queues: ['q1'], skills: { tech: 1 }, languages: ['zh'] }),
        agentOf({ id: 'a2', queues: ['q1'], skills: { tech: 1 }, languages: ['zh'] }),
      ],
    );
    // a1 and a2 take a call each, so an agent with none comes before them in the queue's order
    for (const [callId, agent] of [
      ['c1', 'a1'],
      ['c2', 'a2'],
    ] as const) {
      await f.enqueue('q1', { callId, skills: { tech: 1 } });
      expect(await f.store.dispatchCall(callId)).toMatchObject({ kind: 'offered', agents: [agent] });
      await f.store.answered(callId, agent);
      await f.store.callEnded(callId, agent, 0);
    }
    // nobody free meets tech 3: the walk for the class passes a1 and a2 and stops past them
    await f.enqueue('q1', { callId: 'c3', skills: { tech: 3 } });
    expect(await f.store.dispatchCall('c3')).toMatchObject({ kind: 'none' });
    await f.enqueue('q1', { callId: 'c4', skills: { tech: 3 } });
    expect(await f.store.dispatchCall('c4')).toMatchObject({ kind: 'none' });
    // a3 is filed first (no calls yet): the next walk for the class must not start past it
    await f.store.loadAgent(agentOf({ id: 'a3', queues: ['q1'], skills: { tech: 4 }, languages: ['zh'] }));
    expect(await f.store.dispatchCall('c3')).toMatchObject({ kind: 'offered', agents: ['a3'] });
    expect(await f.store.dispatchCall('c4')).toMatchObject({ kind: 'none' });
    expect(await f.store.checkMatchIndex()).toEqual([]);
  });

  it('files best-skill agents by skill and level, and reads the most proficient first', async () => {
    await threeAgents('best-skill');
    await f.store.loadAgent(agentOf({ id: 'a4', queues: ['q1'], skills: { tech: 5 }, languages: ['zh'] }));
    expect(await f.store.checkMatchIndex()).toEqual([]);
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 1 } });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'offered', agents: ['a4'] });
    await f.enqueue('q1', { callId: 'c2', skills: { tech: 1 } });
    expect(await f.store.dispatchCall('c2')).toMatchObject({ kind: 'offered', agents: ['a1'] });
    expect(await f.store.checkMatchIndex()).toEqual([]);
  });

  it('takes an agent out of the skills and queues its new profile drops', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q1' }), queueOf({ name: 'q2' })],
      [
        agentOf({ id: 'a1', queues: ['q1', 'q2'], skills: { tech: 3, billing: 2 }, languages: ['zh'] }),
        agentOf({ id: 'a2', queues: ['q2'], skills: { tech: 1 }, languages: ['zh'] }),
      ],
    );
    await f.store.loadAgent(agentOf({ id: 'a1', queues: ['q1'], skills: { billing: 4 }, languages: ['zh'] }));
    expect(await f.store.checkMatchIndex()).toEqual([]);
    // a call needing the dropped skill, or in the dropped queue, finds nobody
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 1 } });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'none' });
    await f.enqueue('q2', { callId: 'c2', skills: { billing: 1 } });
    expect(await f.store.dispatchCall('c2')).toMatchObject({ kind: 'none' });
    await f.enqueue('q1', { callId: 'c3', skills: { billing: 4 } });
    expect(await f.store.dispatchCall('c3')).toMatchObject({ kind: 'offered', agents: ['a1'] });
  });

  it('is built from the keys when the library has none (loaded again, Redis restarted)', async () => {
    await threeAgents();
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 3 } });
    f.clock.advance(1000);
    await f.enqueue('q1', { callId: 'c2', skills: { billing: 2 } });
    const before = await f.store.matchIndex('forget');
    expect(before).toMatchObject({ built: false });
    // an agent-driven decision rebuilds it: a1 takes the first caller it may take
    expect(await f.store.dispatchAgent('a1')).toMatchObject({ kind: 'offered', callId: 'c1' });
    const after = await f.store.matchIndex();
    expect(after).toMatchObject({ built: true, freeAgents: 2, waitingCalls: 1 });
    expect(after.builds).toBeGreaterThan(before.builds);
    expect(await f.store.checkMatchIndex()).toEqual([]);
    await f.store.matchIndex('forget');
    // and a call-driven one: c2 needs billing, only a1 had it and is reserved
    expect(await f.store.dispatchCall('c2')).toMatchObject({ kind: 'none' });
    expect(await f.store.checkMatchIndex()).toEqual([]);
  });

  it('is rebuilt when another copy of the library changed the keys (the stamp moved)', async () => {
    await threeAgents();
    await f.store.loadAgent(
      agentOf({
        id: 'a4',
        queues: ['q1'],
        skills: { tech: 3 },
        languages: ['zh'],
        initialState: 'logged-out',
      }),
    );
    await f.store.setAgentState('a4', 'aux', 'break');
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 3 } });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'offered', agents: ['a1'] });
    const { builds } = await f.store.matchIndex();
    // a4 made available, ahead of everyone, by a library this one does not see: its functions
    // write the keys and a new stamp
    const r = f.t.redis;
    await r.hset(f.t.keys.routingAgent('a4'), 'state', 'available');
    await r.zadd(f.t.keys.routingAvailable('q1'), 0, await idx('a4'));
    await r.setbit(f.t.keys.routing('availableBits'), Number(await idx('a4')), 1);
    await r.set(f.t.keys.routing('indexStamp'), 'another-copy');
    await f.enqueue('q1', { callId: 'c2', skills: { tech: 3 } });
    expect(await f.store.dispatchCall('c2')).toMatchObject({ kind: 'offered', agents: ['a4'] });
    expect((await f.store.matchIndex()).builds).toBe(builds + 1);
    expect(await f.store.checkMatchIndex()).toEqual([]);
  });

  it('is dropped when a run fails half way, and built again from the keys', async () => {
    await threeAgents();
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 3 } });
    expect(await f.store.matchIndex()).toMatchObject({ built: true });
    // a call whose hash is not a hash: the run's first read of it fails
    await f.t.redis.set(f.t.keys.routingCall('broken'), 'x');
    await expect(f.store.dispatchCall('broken')).rejects.toThrow(/WRONGTYPE/);
    expect(await f.store.matchIndex()).toMatchObject({ built: false });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'offered', agents: ['a1'] });
    expect(await f.store.checkMatchIndex()).toEqual([]);
  });

  it('repairs an agent it has wrong and books the next one', async () => {
    await threeAgents();
    expect(await f.store.matchIndex()).toMatchObject({ built: true, freeAgents: 3 });
    // a1 on a break behind the library's back (no stamp): the index still has it free
    await f.t.redis.hset(f.t.keys.routingAgent('a1'), 'state', 'aux');
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 3 } });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'offered', agents: ['a2'] });
    // a1 left the index when the decision found it busy, a2 when it was booked
    expect(await f.store.matchIndex()).toMatchObject({ freeAgents: 1 });
  });

  it("reads a free agent's hash only when a call is found for it, and then believes the hash", async () => {
    await threeAgents();
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 3 } });
    // nobody a3 may take waits: answered from the index alone
    expect(await f.store.dispatchAgent('a3')).toMatchObject({ kind: 'none' });
    // a1 on a break behind the library's back (no stamp): the index still has it free, finds it
    // c1, reads its hash before booking, and answers as the hash says
    await f.t.redis.hset(f.t.keys.routingAgent('a1'), 'state', 'aux');
    const before = await f.store.matchIndex();
    expect(await f.store.dispatchAgent('a1')).toMatchObject({ kind: 'busy', state: 'aux' });
    expect(await f.store.call('c1')).toMatchObject({ state: 'waiting' });
    // (the library counts repairs across key bases)
    expect(await f.store.matchIndex()).toMatchObject({ freeAgents: 2, repairs: before.repairs + 1 });
    expect(await f.store.dispatchAgent('a2')).toMatchObject({ kind: 'offered', callId: 'c1' });
  });

  it('is not used where the library keeps no memory between runs (EVAL): decisions read the keys', async () => {
    f = await routingFixture([queueOf({ name: 'q1', strategy: 'best-skill' })], []);
    // a Redis without functions: RoutingScripts runs each script by EVALSHA
    (f.store as unknown as { scripts: { functions: boolean | null } }).scripts.functions = false;
    for (const [id, level] of [
      ['a1', 3],
      ['a2', 3],
      ['a3', 5],
    ] as const)
      await f.store.loadAgent(agentOf({ id, queues: ['q1'], skills: { tech: level }, languages: ['zh'] }));
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 1 } });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'offered', agents: ['a3'] });
    await f.enqueue('q1', { callId: 'c2', skills: { tech: 4 } });
    f.clock.advance(1000);
    await f.enqueue('q1', { callId: 'c3', skills: { tech: 1 } });
    expect(await f.store.dispatchAgent('a2')).toMatchObject({ kind: 'offered', callId: 'c3' });
    expect(await f.store.dispatchAgent('a1')).toMatchObject({ kind: 'none' });
    expect(await f.store.matchIndex()).toMatchObject({ built: false });
  });

  it('repairs a caller it has wrong and offers the next one', async () => {
    await threeAgents();
    await f.store.setAgentState('a1', 'aux', 'break');
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 3 } });
    f.clock.advance(1000);
    await f.enqueue('q1', { callId: 'c2', skills: { tech: 3 } });
    expect(await f.store.matchIndex()).toMatchObject({ waitingCalls: 2 });
    // c1 gone behind the library's back: the index still has it waiting
    await f.t.redis.hset(f.t.keys.routingCall('c1'), 'state', 'abandoned');
    await f.store.setAgentState('a1', 'available');
    expect(await f.store.dispatchAgent('a1')).toMatchObject({ kind: 'offered', callId: 'c2' });
    expect(await f.store.matchIndex()).toMatchObject({ waitingCalls: 0 });
  });
});
