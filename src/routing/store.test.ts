import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentState, IllegalTransitionError } from './agent-state.js';
import { CallState } from './call-state.js';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from './test-helpers.js';

describe('routing store', () => {
  let f: RoutingFixture;
  beforeEach(async () => {
    f = await routingFixture(
      [queueOf({ name: 'support' }), queueOf({ name: 'billing', joinEmpty: true })],
      [
        agentOf({ id: 'agent1', queues: ['support'], skills: { tech: 5 }, languages: ['zh', 'en'] }),
        agentOf({ id: 'agent2', queues: ['support', 'billing'], skills: { billing: 3 }, languages: ['en'] }),
      ],
    );
  });
  afterEach(() => f.cleanup());

  it('reserves the longest-idle agent for a caller and takes it out of the available pool', async () => {
    expect(await f.enqueue('support', { callId: 'c1' })).toEqual({ kind: 'queued', position: 1 });
    const d = await f.store.dispatchCall('c1');
    expect(d).toEqual({ kind: 'offered', step: 0, agents: ['agent1'] });
    expect((await f.store.agent('agent1'))!.state).toBe(AgentState.Reserved);
    expect((await f.store.call('c1'))!.state).toBe(CallState.Offered);
    expect(await f.t.redis.zrange(f.t.keys.routingAvailable('support'), '0', '-1')).toEqual(['2']);
  });

  it('connects, ends the call, wraps up and makes the agent available again after the wrap-up', async () => {
    await f.enqueue('support', { callId: 'c1' });
    await f.store.dispatchCall('c1');
    expect(await f.store.ringing('c1', 'agent1', f.clock.now() + 20_000)).toBe(true);
    expect((await f.store.agent('agent1'))!.state).toBe(AgentState.Ringing);
    f.clock.advance(3000);
    expect(await f.store.answered('c1', 'agent1')).toEqual({ kind: 'connected', released: [] });
    expect((await f.store.agent('agent1'))!.state).toBe(AgentState.OnCall);
    f.clock.advance(60_000);
    const ended = await f.store.callEnded('c1', 'agent1', 10);
    expect(ended).toEqual({ kind: 'wrap-up', until: f.clock.now() + 10_000 });
    expect((await f.store.agent('agent1'))!.talkSeconds).toBe(60);
    f.clock.advance(9000);
    expect((await f.store.sweep()).freedAgents).toEqual([]);
    f.clock.advance(1000);
    expect((await f.store.sweep()).freedAgents).toEqual(['agent1']);
    const a = await f.store.agent('agent1');
    expect(a!.state).toBe(AgentState.Available);
    expect(a!.callsAnswered).toBe(1);
  });

  it('refuses a caller for a queue nobody is logged in to, unless the queue accepts that', async () => {
    await f.store.setAgentState('agent1', 'logged-out');
    await f.store.setAgentState('agent2', 'logged-out');
    expect(await f.enqueue('support', { callId: 'c1' })).toEqual({ kind: 'rejected', reason: 'no-agents' });
    expect(await f.enqueue('billing', { callId: 'c2' })).toEqual({ kind: 'queued', position: 1 });
    expect(await f.enqueue('nowhere', { callId: 'c3' })).toEqual({
      kind: 'rejected',
      reason: 'unknown-queue',
    });
  });

  it('refuses an illegal state change with a typed error naming the allowed moves', async () => {
    await f.enqueue('support', { callId: 'c1' });
    await f.store.dispatchCall('c1');
    await f.store.ringing('c1', 'agent1', f.clock.now() + 20_000);
    await f.store.answered('c1', 'agent1');
    await f.store.callEnded('c1', 'agent1', 30);
    await f.store.setAgentState('agent2', 'logged-out');
    // asking again for the state the agent is in changes nothing
    expect(await f.store.setAgentState('agent2', 'logged-out')).toEqual({
      state: AgentState.LoggedOut,
      pending: false,
    });
    await f.store.setAgentState('agent2', 'aux', 'lunch');
    expect((await f.store.agent('agent2'))!.state).toBe(AgentState.Aux);
    await expect(f.store.setAgentState('nobody', 'available')).rejects.toMatchObject({
      code: 'ROUTING_UNKNOWN_AGENT',
    });
    await expect(f.store.removeAgent('agent1')).rejects.toBeInstanceOf(IllegalTransitionError);
  });

  it('keeps a state asked for during a call and applies it when wrap-up ends', async () => {
    await f.enqueue('support', { callId: 'c1' });
    await f.store.dispatchCall('c1');
    await f.store.answered('c1', 'agent1');
    expect(await f.store.setAgentState('agent1', 'aux', 'lunch')).toEqual({
      state: AgentState.OnCall,
      pending: true,
    });
    await f.store.callEnded('c1', 'agent1', 5);
    f.clock.advance(5000);
    await f.store.sweep();
    const a = await f.store.agent('agent1');
    expect(a!.state).toBe(AgentState.Aux);
    expect(a!.reason).toBe('lunch');
  });
});
