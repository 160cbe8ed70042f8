import { afterEach, describe, expect, it } from 'vitest';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from '../test-helpers.js';
import { pick } from './strategy-test-kit.js';

describe('random strategy', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  it('spreads calls over the eligible agents and never picks an ineligible one', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'random' })],
      [
        ...['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => agentOf({ id, queues: ['q'], skills: { tech: 3 } })),
        agentOf({ id: 'x', queues: ['q'], skills: { billing: 3 } }),
      ],
    );
    const picked = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const [agent] = await pick(f, 'q', { tech: 1 });
      picked.add(agent!);
    }
    // five equal agents over 60 calls: all but impossible (p < 1e-19) to see 2 or fewer of them
    expect(picked.size).toBeGreaterThanOrEqual(3);
    expect(picked.has('x')).toBe(false);
  });
});
