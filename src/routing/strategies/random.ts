import type { Strategy } from './strategy.js';

// A fresh random position each time the agent becomes available: the front of the set is a
// uniformly random eligible agent.
export const random: Strategy = {
  name: 'random',
  description: 'an eligible agent at random',
  scoreLua: 'math.random()',
  pick: 'first',
};
