import { afterEach, describe, expect, it } from 'vitest';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from '../test-helpers.js';
import { pick, startCall } from './strategy-test-kit.js';

describe('least-talk-time strategy', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  it('prefers the agent who talked less, even if another has been idle longer', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'least-talk-time' })],
      ['a1', 'a2'].map((id) => agentOf({ id, queues: ['q'] })),
    );
    const endA1 = await startCall(f, 'q', 'a1');
    f.clock.advance(40_000);
    const endA2 = await startCall(f, 'q', 'a2');
    f.clock.advance(10_000);
    await endA1(); // a1: 50 s of talk, idle from now
    f.clock.advance(10_000);
    await endA2(); // a2: 20 s of talk, idle 10 s later than a1
    expect(await pick(f, 'q')).toEqual(['a2']);
  });

  it('breaks a tie in talk time by the longest idle', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'least-talk-time' })],
      ['a1', 'a2'].map((id) => agentOf({ id, queues: ['q'] })),
    );
    expect(await pick(f, 'q')).toEqual(['a1']);
  });
});
