import { afterEach, describe, expect, it } from 'vitest';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from '../test-helpers.js';
import { pick, serve } from './strategy-test-kit.js';

describe('fewest-calls strategy', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  it('prefers the agent with fewer calls even when another has been idle longer', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'fewest-calls' })],
      [
        agentOf({ id: 'a1', queues: ['q'] }),
        agentOf({ id: 'a2', queues: ['q'], initialState: 'logged-out' }),
      ],
    );
    await serve(f, 'q', 'a1', 10);
    f.clock.advance(60_000);
    await f.store.setAgentState('a2', 'available');
    // a1 has been idle a minute, a2 just logged in; a1 has one call, a2 none
    expect(await pick(f, 'q')).toEqual(['a2']);
  });

  it('breaks a tie in calls by the longest idle', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'fewest-calls' })],
      ['a1', 'a2', 'a3'].map((id) => agentOf({ id, queues: ['q'] })),
    );
    await serve(f, 'q', 'a2', 5);
    f.clock.advance(1000);
    await serve(f, 'q', 'a1', 5);
    f.clock.advance(1000);
    await serve(f, 'q', 'a3', 5);
    // one call each; a2 finished first
    expect(await pick(f, 'q')).toEqual(['a2']);
  });
});
