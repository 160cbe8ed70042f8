import type { Strategy } from './strategy.js';

// Round robin with memory: the queue remembers when it last gave each agent a call and goes to
// the one it served least recently. Agents it never served come first, longest idle first
// (their score is pushed below every real time).
export const roundRobin: Strategy = {
  name: 'round-robin',
  description: 'the eligible agent this queue served least recently; never-served agents first',
  scoreLua: '(a.served > 0) and a.served or (a.idle - 1e13)',
  pick: 'first',
};
