import { afterEach, describe, expect, it } from 'vitest';
import { AgentState } from './agent-state.js';
import { CallState } from './call-state.js';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from './test-helpers.js';

describe('who gets the next free agent', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  async function oneBusyAgent(queue = queueOf({ name: 'q' })) {
    f = await routingFixture([queue], [agentOf({ id: 'a1', queues: ['q'], initialState: 'logged-out' })]);
    await f.store.setAgentState('a1', 'aux', 'break');
  }

  it('serves callers first come, first served', async () => {
    await oneBusyAgent();
    for (const id of ['c1', 'c2', 'c3']) {
      await f.enqueue('q', { callId: id });
      f.clock.advance(1000);
    }
    await f.store.setAgentState('a1', 'available');
    expect(await f.store.dispatchAgent('a1')).toMatchObject({ kind: 'offered', callId: 'c1' });
  });

  it('lets a VIP caller overtake callers who waited longer', async () => {
    await oneBusyAgent();
    await f.enqueue('q', { callId: 'c1' });
    f.clock.advance(30_000);
    await f.enqueue('q', { callId: 'vip', priority: 10 });
    expect(await f.store.position('vip')).toMatchObject({ position: 1 });
    expect(await f.store.position('c1')).toMatchObject({ position: 2 });
    await f.store.setAgentState('a1', 'available');
    expect(await f.store.dispatchAgent('a1')).toMatchObject({ kind: 'offered', callId: 'vip' });
  });

  it('keeps a caller for their previous agent during the affinity window, then offers anyone', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', affinitySeconds: 15 })],
      [agentOf({ id: 'a1', queues: ['q'] }), agentOf({ id: 'a2', queues: ['q'] })],
    );
    await f.store.setAgentState('a2', 'aux', 'break');
    await f.enqueue('q', { callId: 'c1', lastAgent: 'a2' });
    expect(await f.store.dispatchCall('c1')).toEqual({ kind: 'none', step: 0 });
    expect(await f.store.dispatchAgent('a1')).toEqual({ kind: 'none' });
    f.clock.advance(5_000);
    await f.store.setAgentState('a2', 'available');
    expect(await f.store.dispatchAgent('a2')).toMatchObject({ kind: 'offered', callId: 'c1' });
  });

  it('offers anyone once the affinity window is over', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', affinitySeconds: 15 })],
      [agentOf({ id: 'a1', queues: ['q'] }), agentOf({ id: 'a2', queues: ['q'] })],
    );
    await f.store.setAgentState('a2', 'aux', 'break');
    await f.enqueue('q', { callId: 'c1', lastAgent: 'a2' });
    f.clock.advance(15_000);
    expect(await f.store.dispatchCall('c1')).toEqual({ kind: 'offered', step: 0, agents: ['a1'] });
  });

  it('keeps a callback caller in their place in line', async () => {
    await oneBusyAgent();
    for (const id of ['c1', 'c2', 'c3']) {
      await f.enqueue('q', { callId: id });
      f.clock.advance(1000);
    }
    expect(await f.store.callback('c2', '+8613800138000', 0)).toBe(2);
    expect((await f.store.call('c2'))!.mode).toBe('callback');
    await f.store.setAgentState('a1', 'available');
    expect(await f.store.dispatchAgent('a1')).toMatchObject({ callId: 'c1' });
    await f.store.answered('c1', 'a1');
    await f.store.callEnded('c1', 'a1', 0);
    expect(await f.store.dispatchAgent('a1')).toMatchObject({ callId: 'c2' });
  });

  it('skips an agent who did not answer, and puts them in aux "missed" after maxMissed misses', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', maxMissed: 2 })],
      [agentOf({ id: 'a1', queues: ['q'] }), agentOf({ id: 'a2', queues: ['q'] })],
    );
    await f.enqueue('q', { callId: 'c1' });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ agents: ['a1'] });
    expect(await f.store.noAnswer('c1', 'a1', 'no-answer', 2)).toBe('requeued');
    expect((await f.store.agent('a1'))!.state).toBe(AgentState.Available);
    expect(await f.store.position('c1')).toMatchObject({ state: 'waiting', position: 1 });
    // a1 is the longest idle no more, but it would not matter: a1 is skipped for c1
    await f.store.setAgentState('a2', 'aux', 'break');
    expect(await f.store.dispatchCall('c1')).toEqual({ kind: 'none', step: 0 });
    expect(await f.store.dispatchAgent('a1')).toEqual({ kind: 'none' });
    await f.enqueue('q', { callId: 'c2' });
    expect(await f.store.dispatchCall('c2')).toMatchObject({ agents: ['a1'] });
    await f.store.noAnswer('c2', 'a1', 'no-answer', 2);
    const a1 = await f.store.agent('a1');
    expect(a1!.state).toBe(AgentState.Aux);
    expect(a1!.reason).toBe('missed');
  });

  it('puts an agent whose phone cannot be rung at all in aux "unreachable" at once', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', maxMissed: 3 })],
      [agentOf({ id: 'a1', queues: ['q'] }), agentOf({ id: 'a2', queues: ['q'] })],
    );
    await f.enqueue('q', { callId: 'c1' });
    await f.store.dispatchCall('c1');
    expect(await f.store.noAnswer('c1', 'a1', 'unreachable', 3)).toBe('requeued');
    expect(await f.store.agent('a1')).toMatchObject({ state: AgentState.Aux, reason: 'unreachable' });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ agents: ['a2'] });
  });

  it('releases a ringing agent without a miss when the caller hangs up', async () => {
    f = await routingFixture([queueOf({ name: 'q' })], [agentOf({ id: 'a1', queues: ['q'] })]);
    await f.enqueue('q', { callId: 'c1' });
    await f.store.dispatchCall('c1');
    await f.store.ringing('c1', 'a1', f.clock.now() + 15_000);
    expect(await f.store.abandon('c1')).toEqual({ kind: 'abandoned', released: ['a1'] });
    const a1 = await f.store.agent('a1');
    expect(a1!.state).toBe(AgentState.Available);
    expect(a1!.missedInARow).toBe(0);
    expect((await f.store.call('c1'))!.state).toBe(CallState.Abandoned);
    // the agent's late answer is refused: the routing layer hangs the leg up
    expect(await f.store.answered('c1', 'a1')).toEqual({ kind: 'gone', state: 'abandoned' });
  });

  it('gives an expired reservation back: agent free, caller in line again', async () => {
    f = await routingFixture([queueOf({ name: 'q' })], [agentOf({ id: 'a1', queues: ['q'] })]);
    await f.enqueue('q', { callId: 'c1' });
    await f.store.dispatchCall('c1');
    f.clock.advance(16_000);
    expect(await f.store.sweep()).toEqual({ freedAgents: ['a1'], calls: ['c1'] });
    expect((await f.store.call('c1'))!.state).toBe(CallState.Waiting);
    expect((await f.store.agent('a1'))!.state).toBe(AgentState.Available);
  });

  it('abandons the callers of a node that went silent, and adopts its callbacks', async () => {
    f = await routingFixture([queueOf({ name: 'q' })], [agentOf({ id: 'a1', queues: ['q'] })]);
    await f.store.setAgentState('a1', 'aux', 'break');
    const dead = f.otherNode('node-dead');
    await dead.sweep(); // heartbeat
    await f.enqueue('q', { callId: 'c1' }, dead);
    await f.enqueue('q', { callId: 'c2' }, dead);
    await dead.callback('c2', '+100', 5);
    f.clock.advance(11_000);
    expect(await f.store.sweep(100, 10_000)).toEqual({ freedAgents: [], calls: ['c2'] });
    expect((await f.store.call('c1'))!.state).toBe(CallState.Abandoned);
    expect((await f.store.call('c2'))!.node).toBe('node-a');
    // an agent freed on a third node: the offer goes to the adopter, not to the dead node
    await f.store.setAgentState('a1', 'available');
    expect(await f.otherNode('node-b').dispatchAgent('a1')).toMatchObject({ kind: 'offered', callId: 'c2' });
    const offers = async (node: string) => f.t.redis.xrange(f.t.keys.routingOffers(node), '-', '+');
    expect((await offers('node-a')).map(([, fields]) => fields)).toEqual([['call', 'c2', 'agents', 'a1']]);
    expect(await offers('node-dead')).toEqual([]);
  });

  it('estimates nothing before any call was handled, then counts on the average handle time', async () => {
    await oneBusyAgent();
    await f.enqueue('q', { callId: 'c1' });
    expect(await f.store.position('c1')).toMatchObject({ position: 1, averageHandleSeconds: null });
    await f.store.setAgentState('a1', 'available');
    await f.store.dispatchAgent('a1');
    await f.store.answered('c1', 'a1');
    f.clock.advance(50_000);
    await f.store.callEnded('c1', 'a1', 10);
    await f.enqueue('q', { callId: 'c2' });
    expect(await f.store.position('c2')).toMatchObject({ position: 1, staffed: 1, averageHandleSeconds: 60 });
  });
});
