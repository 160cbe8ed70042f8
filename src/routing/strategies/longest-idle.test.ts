import { afterEach, describe, expect, it } from 'vitest';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from '../test-helpers.js';
import { pick, serve } from './strategy-test-kit.js';

describe('longest-idle strategy', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  it('gives the call to the agent idle the longest, and after a call that agent goes to the back', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'longest-idle' })],
      ['a1', 'a2', 'a3'].map((id) => agentOf({ id, queues: ['q'], skills: { tech: 3 } })),
    );
    expect(await pick(f, 'q')).toEqual(['a1']);
    await serve(f, 'q', 'a1', 30);
    expect(await pick(f, 'q')).toEqual(['a2']);
  });

  it('passes over idle agents who lack the skill the call needs', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q', strategy: 'longest-idle' })],
      [
        agentOf({ id: 'a1', queues: ['q'], skills: { billing: 5 } }),
        agentOf({ id: 'a2', queues: ['q'], skills: { tech: 2 } }),
        agentOf({ id: 'a3', queues: ['q'], skills: { tech: 4 } }),
      ],
    );
    expect(await pick(f, 'q', { tech: 3 })).toEqual(['a3']);
    expect(await pick(f, 'q', { tech: 1 })).toEqual(['a2']);
    expect(await pick(f, 'q', { complaints: 1 })).toEqual([]);
  });

  it('finds the one eligible agent behind a long line of ineligible ones', async () => {
    const agents = Array.from({ length: 120 }, (_, i) =>
      agentOf({ id: `a${i}`, queues: ['q'], skills: i === 117 ? { rare: 5 } : { tech: 3 } }),
    );
    f = await routingFixture([queueOf({ name: 'q', strategy: 'longest-idle' })], agents);
    expect(await pick(f, 'q', { rare: 4 })).toEqual(['a117']);
  });

  it('ranks a few scattered eligible agents by idle time, not by where they sit', async () => {
    const rare = new Set([9, 70, 110]);
    const agents = Array.from({ length: 120 }, (_, i) =>
      agentOf({ id: `a${i}`, queues: ['q'], skills: rare.has(i) ? { rare: 5 } : { tech: 3 } }),
    );
    f = await routingFixture([queueOf({ name: 'q', strategy: 'longest-idle' })], agents);
    // a9 becomes the most recently idle: a70 has now waited longest of the three
    await f.store.setAgentState('a9', 'aux', 'break');
    await f.store.setAgentState('a9', 'available');
    expect(await pick(f, 'q', { rare: 4 })).toEqual(['a70']);
  });
});
