import { afterEach, describe, expect, it } from 'vitest';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from '../test-helpers.js';
import { pick } from './strategy-test-kit.js';

describe('best-skill strategy', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  it("gives the call to the most proficient agent in the call's main skill", async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'best-skill' })],
      [
        agentOf({ id: 'a1', queues: ['q'], skills: { tech: 3, billing: 5 } }),
        agentOf({ id: 'a2', queues: ['q'], skills: { tech: 4, billing: 1 } }),
        agentOf({ id: 'a3', queues: ['q'], skills: { tech: 2 } }),
      ],
    );
    expect(await pick(f, 'q', { tech: 2 })).toEqual(['a2']);
    // tech is asked most of: ranked by tech, though a1 is the billing expert
    expect(await pick(f, 'q', { tech: 2, billing: 1 })).toEqual(['a2']);
    // equal asks: the first skill by name (billing) ranks
    expect(await pick(f, 'q', { tech: 1, billing: 1 })).toEqual(['a1']);
  });

  it('breaks a tie in proficiency by the longest idle', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'best-skill' })],
      [
        agentOf({ id: 'a1', queues: ['q'], skills: { tech: 4 } }),
        agentOf({ id: 'a2', queues: ['q'], skills: { tech: 5 } }),
        agentOf({ id: 'a3', queues: ['q'], skills: { tech: 5 } }),
      ],
    );
    expect(await pick(f, 'q', { tech: 1 })).toEqual(['a2']);
  });

  it('falls back to the longest idle when the call asks for no skill', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'best-skill' })],
      [
        agentOf({ id: 'a1', queues: ['q'], skills: { tech: 1 } }),
        agentOf({ id: 'a2', queues: ['q'], skills: { tech: 5 } }),
      ],
    );
    expect(await pick(f, 'q')).toEqual(['a1']);
  });
});
