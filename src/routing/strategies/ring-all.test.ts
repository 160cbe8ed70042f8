import { afterEach, describe, expect, it } from 'vitest';
import { AgentState } from '../agent-state.js';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from '../test-helpers.js';

describe('ring-all strategy', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  it('rings every eligible agent up to ringAllMax; the first to answer wins, the others are freed', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'ring-all', ringAllMax: 3 })],
      [
        agentOf({ id: 'a1', queues: ['q'], skills: { tech: 3 } }),
        agentOf({ id: 'a2', queues: ['q'], skills: { billing: 3 } }),
        agentOf({ id: 'a3', queues: ['q'], skills: { tech: 4 } }),
        agentOf({ id: 'a4', queues: ['q'], skills: { tech: 5 } }),
        agentOf({ id: 'a5', queues: ['q'], skills: { tech: 5 } }),
      ],
    );
    await f.enqueue('q', { callId: 'c1', skills: { tech: 3 } });
    const d = await f.store.dispatchCall('c1');
    expect(d).toEqual({ kind: 'offered', step: 0, agents: ['a1', 'a3', 'a4'] });
    expect(await f.store.answered('c1', 'a3')).toEqual({ kind: 'connected', released: ['a1', 'a4'] });
    for (const id of ['a1', 'a4']) {
      const a = await f.store.agent(id);
      expect(a!.state).toBe(AgentState.Available);
      expect(a!.missedInARow).toBe(0);
    }
    expect((await f.store.agent('a3'))!.state).toBe(AgentState.OnCall);
  });
});
