import type { Strategy } from './strategy.js';

export const ringAll: Strategy = {
  name: 'ring-all',
  description: 'every eligible agent rings at once (up to ringAllMax); the first to answer takes the call',
  scoreLua: 'a.idle',
  pick: 'all',
};
