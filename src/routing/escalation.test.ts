import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallState } from './call-state.js';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from './test-helpers.js';

// The demo's support queue: step 1 (20 s) needs tech >= 4 and the caller's language, step 2
// (40 s) tech >= 2, step 3 any agent of the queue, until the max wait; then overflow.
const support = queueOf({
  name: 'support',
  maxWaitSeconds: 120,
  steps: [
    { seconds: 20, skills: { tech: 4 }, language: true },
    { seconds: 40, skills: { tech: 2 }, language: true },
    { skills: {}, language: false },
  ],
  overflow: { queue: 'general' },
});

describe('routing steps with timed escalation', () => {
  let f: RoutingFixture;
  beforeEach(async () => {
    f = await routingFixture(
      [support, queueOf({ name: 'general' })],
      [
        agentOf({ id: 'junior-zh', queues: ['support'], skills: { tech: 2 }, languages: ['zh'] }),
        agentOf({ id: 'senior-en', queues: ['support'], skills: { tech: 5 }, languages: ['en'] }),
        agentOf({ id: 'billing-zh', queues: ['support'], skills: { billing: 4 }, languages: ['zh'] }),
      ],
    );
    await f.enqueue('support', { callId: 'c1', language: 'zh' });
  });
  afterEach(() => f.cleanup());

  it('step 1: offers nobody while no agent has tech >= 4 and speaks the caller language', async () => {
    expect(await f.store.dispatchCall('c1')).toEqual({ kind: 'none', step: 0 });
    f.clock.advance(19_999);
    expect(await f.store.dispatchCall('c1')).toEqual({ kind: 'none', step: 0 });
  });

  it('step 2: after 20 s a tech >= 2 agent who speaks the language may take the call', async () => {
    f.clock.advance(20_000);
    expect(await f.store.dispatchCall('c1')).toEqual({ kind: 'offered', step: 1, agents: ['junior-zh'] });
  });

  it('step 3: after 60 s any agent of the queue, whatever the skills or language', async () => {
    await f.store.setAgentState('junior-zh', 'aux', 'break');
    f.clock.advance(59_000);
    expect(await f.store.dispatchCall('c1')).toEqual({ kind: 'none', step: 1 });
    f.clock.advance(1_000);
    expect(await f.store.dispatchCall('c1')).toEqual({ kind: 'offered', step: 2, agents: ['senior-en'] });
  });

  it('applies the step in force when an agent comes free, not the one at arrival', async () => {
    await f.store.setAgentState('junior-zh', 'aux', 'break');
    await f.store.setAgentState('junior-zh', 'available');
    expect(await f.store.dispatchAgent('junior-zh')).toEqual({ kind: 'none' });
    f.clock.advance(19_999);
    expect(await f.store.dispatchAgent('junior-zh')).toEqual({ kind: 'none' });
    // the first millisecond of step 2
    f.clock.advance(1);
    expect(await f.store.dispatchAgent('junior-zh')).toEqual({ kind: 'offered', callId: 'c1', step: 1 });
  });

  it('applies the step in force when the match index was built again from the keys meanwhile', async () => {
    await f.store.setAgentState('junior-zh', 'aux', 'break');
    await f.store.setAgentState('junior-zh', 'available');
    // the library loaded again (a new version, a Redis restart): the next run builds the index
    await f.store.matchIndex('forget');
    f.clock.advance(19_999);
    expect(await f.store.dispatchAgent('junior-zh')).toEqual({ kind: 'none' });
    f.clock.advance(1);
    expect(await f.store.dispatchAgent('junior-zh')).toEqual({ kind: 'offered', callId: 'c1', step: 1 });
  });

  it('takes a caller out of line for the overflow target once the steps are over', async () => {
    f.clock.advance(120_000);
    for (const id of ['junior-zh', 'senior-en', 'billing-zh'])
      await f.store.setAgentState(id, 'aux', 'meeting');
    expect(await f.store.overflow('c1', { queue: 'general' })).toBe('overflowed');
    const call = await f.store.call('c1');
    expect(call!.state).toBe(CallState.Overflowed);
    expect(await f.t.redis.zcard(f.t.keys.routingWaiting('support'))).toBe(0);
  });

  it('does not overflow a caller while an agent is ringing for them', async () => {
    f.clock.advance(20_000);
    await f.store.dispatchCall('c1');
    expect(await f.store.overflow('c1', { voicemail: true })).toBe('offered');
  });

  it('lets the IVR ask for more than the first step: the request skills raise step 1', async () => {
    await f.enqueue('support', { callId: 'c2', language: 'en', skills: { tech: 5 } });
    expect(await f.store.dispatchCall('c2')).toEqual({ kind: 'offered', step: 0, agents: ['senior-en'] });
    // asking for less than the step does not lower it: tech 4 still, and nobody zh has it
    await f.enqueue('support', { callId: 'c3', language: 'zh', skills: { tech: 1 } });
    expect(await f.store.dispatchCall('c3')).toEqual({ kind: 'none', step: 0 });
  });
});
