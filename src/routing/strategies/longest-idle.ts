import type { Strategy } from './strategy.js';

export const longestIdle: Strategy = {
  name: 'longest-idle',
  description: 'the eligible agent who has waited longest since their last call',
  scoreLua: 'a.idle',
  pick: 'first',
};
