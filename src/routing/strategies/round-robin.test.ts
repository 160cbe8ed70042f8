import { afterEach, describe, expect, it } from 'vitest';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from '../test-helpers.js';
import { pick, serve } from './strategy-test-kit.js';

describe('round-robin strategy', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  it('goes round the agents in turn, the least recently served by the queue first', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'round-robin' })],
      ['a1', 'a2', 'a3'].map((id) => agentOf({ id, queues: ['q'] })),
    );
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const [agent] = await pick(f, 'q');
      order.push(agent!);
      await serve(f, 'q', agent!, 1);
    }
    expect(order).toEqual(['a1', 'a2', 'a3', 'a1', 'a2', 'a3']);
  });

  it('serves an agent the queue never served before one it served, however long the other is idle', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'round-robin' })],
      [
        agentOf({ id: 'a1', queues: ['q'] }),
        agentOf({ id: 'a2', queues: ['q'], initialState: 'logged-out' }),
      ],
    );
    await serve(f, 'q', 'a1', 1);
    f.clock.advance(120_000);
    await f.store.setAgentState('a2', 'available');
    expect(await pick(f, 'q')).toEqual(['a2']);
  });
});
