// The per-skill parts of a queue's available set (pool-keys.ts): a call walks only the agents who
// have the skill it needs, in the queue's order; an agent leaving availability stays in the parts
// until a walk passes it (saving writes on every reservation), and a profile change takes it out.
import { afterEach, describe, expect, it } from 'vitest';
import { agentOf, queueOf, routingFixture, type RoutingFixture } from './test-helpers.js';

describe('per-skill parts of the available set', () => {
  let f: RoutingFixture;
  afterEach(() => f.cleanup());

  const part = (skill: string) => f.t.keys.routing('availableSkill', 'q1', skill);
  const idx = async (id: string) => (await f.t.redis.hget(f.t.keys.routing('agentIndex'), id))!;

  it('keeps the queue order, lets a reserved agent linger, and the next walk removes it', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q1', strategy: 'longest-idle' })],
      [
        agentOf({ id: 'a1', queues: ['q1'], skills: { tech: 3, billing: 2 }, languages: ['zh'] }),
        agentOf({ id: 'a2', queues: ['q1'], skills: { tech: 3 }, languages: ['zh'] }),
        agentOf({ id: 'a3', queues: ['q1'], skills: { tech: 1 }, languages: ['zh'] }),
      ],
    );
    const [i1, i2, i3] = [await idx('a1'), await idx('a2'), await idx('a3')];
    expect(await f.t.redis.zrange(part('tech'), '0', '-1')).toEqual([i1, i2, i3]);
    expect(await f.t.redis.zrange(part('billing'), '0', '-1')).toEqual([i1]);

    await f.enqueue('q1', { callId: 'c1', skills: { tech: 3 } });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'offered', agents: ['a1'] });
    // out of the queue's set at once, still in the parts
    expect(await f.t.redis.zscore(f.t.keys.routingAvailable('q1'), i1)).toBeNull();
    expect(await f.t.redis.zrange(part('tech'), '0', '-1')).toEqual([i1, i2, i3]);

    await f.enqueue('q1', { callId: 'c2', skills: { tech: 3 } });
    expect(await f.store.dispatchCall('c2')).toMatchObject({ kind: 'offered', agents: ['a2'] });
    // the walk passed a1 (no longer available) and took it out; a2 lingers in turn
    expect(await f.t.redis.zrange(part('tech'), '0', '-1')).toEqual([i2, i3]);
    expect(await f.t.redis.zrange(part('billing'), '0', '-1')).toEqual([i1]);

    // back to available: in the parts again, at the back (idle the shortest)
    await f.store.answered('c1', 'a1');
    f.clock.advance(1000);
    await f.store.callEnded('c1', 'a1', 0);
    expect(await f.t.redis.zrange(part('tech'), '0', '-1')).toEqual([i2, i3, i1]);
  });

  it('takes an agent out of the parts of skills and queues its new profile drops', async () => {
    f = await routingFixture(
      [queueOf({ name: 'q1' }), queueOf({ name: 'q2' })],
      [agentOf({ id: 'a1', queues: ['q1'], skills: { tech: 3, billing: 2 }, languages: ['zh'] })],
    );
    const i1 = await idx('a1');
    await f.store.loadAgent(agentOf({ id: 'a1', queues: ['q1'], skills: { billing: 4 }, languages: ['zh'] }));
    expect(await f.t.redis.zrange(part('tech'), '0', '-1')).toEqual([]);
    expect(await f.t.redis.zrange(part('billing'), '0', '-1')).toEqual([i1]);
    // a call needing the dropped skill finds nobody; one needing the kept skill finds a1
    await f.enqueue('q1', { callId: 'c1', skills: { tech: 1 } });
    expect(await f.store.dispatchCall('c1')).toMatchObject({ kind: 'none' });
    await f.enqueue('q1', { callId: 'c2', skills: { billing: 4 } });
    expect(await f.store.dispatchCall('c2')).toMatchObject({ kind: 'offered', agents: ['a1'] });
  });
});
