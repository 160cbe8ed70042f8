// What the multi-process race test sets up (shared by the test and its node processes): the
// queues and each node's callers, derived from the node, round and number so both sides agree.
import type { QueueSettings } from './model.js';
import { queueOf } from './test-helpers.js';

export const raceQueues: QueueSettings[] = [
  queueOf({ name: 'q1', strategy: 'longest-idle', maxSize: 10_000, steps: [{ seconds: 3600 }, {}] }),
  queueOf({ name: 'q2', strategy: 'ring-all', ringAllMax: 3, maxSize: 10_000 }),
  queueOf({ name: 'q3', strategy: 'best-skill', maxSize: 10_000, steps: [{ seconds: 3600 }, {}] }),
];

export function raceCall(nodeId: string, round: number, i: number) {
  const queue = raceQueues[i % raceQueues.length]!.name;
  const skills: Record<string, number> = { [i % 2 ? 'tech' : 'billing']: 1 + (i % 4) };
  return { callId: `${nodeId}-r${round}-${i}`, queue, skills, priority: i % 7 === 0 ? 10 : 0 };
}
