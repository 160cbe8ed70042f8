import type { Strategy } from './strategy.js';

// Highest proficiency in the call's main skill (the one the current step asks the most of);
// among equals, the longest idle, which is the order of the queue's available set.
export const bestSkill: Strategy = {
  name: 'best-skill',
  description: "the eligible agent with the highest proficiency in the call's main skill; ties: longest idle",
  scoreLua: 'a.idle',
  pick: 'most-skilled',
};
