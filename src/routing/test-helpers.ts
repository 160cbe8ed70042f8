// Helpers for routing's own tests: a store on the real Redis under a fresh key prefix, a clock the
// test moves by hand, and short ways to write agents, queues and callers.
import type { z } from 'zod';
import type { TestRedis } from '../../test/helpers/redis.js';
import { testRedis } from '../../test/helpers/redis.js';
import type { EnqueueRequest } from './contract.js';
import { agentProfileSchema, queueSchema, type AgentProfile, type QueueSettings } from './model.js';
import { planCall } from './requirement.js';
import { RoutingStore, type EnqueueResult } from './store.js';

export class ManualClock {
  constructor(public t = Date.UTC(2026, 0, 5, 9, 0, 0)) {}
  readonly now = () => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export function queueOf(settings: z.input<typeof queueSchema>): QueueSettings {
  return queueSchema.parse(settings);
}

export function agentOf(
  profile: Omit<z.input<typeof agentProfileSchema>, 'endpoint'> & { endpoint?: string },
): AgentProfile {
  return agentProfileSchema.parse({ endpoint: `PJSIP/${profile.id}`, initialState: 'available', ...profile });
}

export interface RoutingFixture {
  t: TestRedis;
  clock: ManualClock;
  store: RoutingStore;
  queues: Map<string, QueueSettings>;
  /** Another node on the same Redis (its own connection), sharing the clock. */
  otherNode(nodeId?: string): RoutingStore;
  enqueue(
    queue: string,
    request: Omit<EnqueueRequest, 'queue' | 'channelId'> & { channelId?: string },
    store?: RoutingStore,
  ): Promise<EnqueueResult>;
  cleanup(): Promise<void>;
}

export async function routingFixture(
  queues: QueueSettings[],
  agents: AgentProfile[],
  clock = new ManualClock(),
): Promise<RoutingFixture> {
  const t = testRedis();
  const store = new RoutingStore(t.redis, t.keys, 'node-a', clock.now);
  for (const q of queues) await store.loadQueue(q);
  for (const a of agents) {
    await store.loadAgent(a);
    clock.advance(1000); // agents loaded one after another: agent 1 idle longest
  }
  const byName = new Map(queues.map((q) => [q.name, q]));
  const others: RoutingStore[] = [];
  return {
    t,
    clock,
    store,
    queues: byName,
    otherNode(nodeId = 'node-b') {
      const s = new RoutingStore(t.redis.duplicate(), t.keys, nodeId, clock.now);
      others.push(s);
      return s;
    },
    async enqueue(queue, request, on = store) {
      const settings = byName.get(queue) ?? queueOf({ name: queue });
      const plan = planCall(settings, request, clock.now());
      return on.enqueue({
        callId: request.callId,
        queue,
        plan,
        priority: request.priority ?? 0,
        enqueuedAt: clock.now(),
        channelId: request.channelId ?? `chan-${request.callId}`,
        mode: 'caller',
        language: request.language,
      });
    },
    async cleanup() {
      for (const s of others) s.redis.disconnect();
      await t.cleanup();
    },
  };
}
