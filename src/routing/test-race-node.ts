// A controller node of its own for multi-process tests (multi-process.test.ts): its own process,
// Redis connections and node id on a key base the test shares with another such node. Each round
// it puts its own callers in line, says `ready`, waits for the test's go (a Redis key, so both
// nodes start together), then makes every decision it can as the router does (through the
// store's batching: call-driven for its callers, agent-driven for every agent, then its callers
// again) and prints what it was offered as one JSON line.
//   tsx src/routing/test-race-node.ts '<json: {url, prefix, nodeId, rounds, callsPerRound, agents}>'
import { Redis } from 'ioredis';
import { RedisKeys } from '../store/index.js';
import { planCall } from './requirement.js';
import { RoutingStore } from './store.js';
import { raceQueues, raceCall } from './test-race-plan.js';

interface Options {
  url: string;
  prefix: string;
  nodeId: string;
  rounds: number;
  callsPerRound: number;
  agents: string[];
}

const options = JSON.parse(process.argv[2]!) as Options;
const keys = new RedisKeys(options.prefix);
// two connections, as a node has several users of Redis: decisions spread over both
const stores = [0, 1].map(() => new RoutingStore(new Redis(options.url), keys, options.nodeId));
const control = new Redis(options.url);
const queues = new Map(raceQueues.map((q) => [q.name, q]));

async function waitFor(key: string): Promise<void> {
  while (!(await control.exists(key))) await new Promise((r) => setTimeout(r, 2));
}

async function round(r: number): Promise<void> {
  const calls: string[] = [];
  for (let i = 0; i < options.callsPerRound; i++) {
    const c = raceCall(options.nodeId, r, i);
    const queue = queues.get(c.queue)!;
    const now = Date.now();
    const result = await stores[0]!.enqueue({
      callId: c.callId,
      queue: c.queue,
      plan: planCall(queue, { skills: c.skills }, now),
      priority: c.priority,
      enqueuedAt: now,
      channelId: `chan-${c.callId}`,
      mode: 'caller',
    });
    if (result.kind === 'queued') calls.push(c.callId);
  }
  process.stdout.write(`${JSON.stringify({ ready: r, calls })}\n`);
  await waitFor(keys.routing('scratch', `race-go-${r}`));
  const store = (i: number) => stores[i % stores.length]!;
  const offers = await Promise.all([
    ...calls.map(async (c, i) => {
      const d = await store(i).dispatchCall(c);
      return d.kind === 'offered' ? { callId: c, agents: d.agents } : null;
    }),
    ...options.agents.map(async (a, i) => {
      const d = await store(i + 1).dispatchAgent(a, 4);
      return d.kind === 'offered' ? { callId: d.callId, agents: [a] } : null;
    }),
    ...calls.map(async (c, i) => {
      const d = await store(i + 1).dispatchCall(c);
      return d.kind === 'offered' ? { callId: c, agents: d.agents } : null;
    }),
  ]);
  process.stdout.write(`${JSON.stringify({ round: r, offers: offers.filter(Boolean) })}\n`);
  await waitFor(keys.routing('scratch', `race-next-${r}`));
}

for (let r = 0; r < options.rounds; r++) await round(r);
for (const s of stores) s.redis.disconnect();
control.disconnect();
