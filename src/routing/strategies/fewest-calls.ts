import { PRIMARY, type Strategy } from './strategy.js';

export const fewestCalls: Strategy = {
  name: 'fewest-calls',
  description: 'the eligible agent who answered the fewest calls since logging in; ties: longest idle',
  scoreLua: `a.calls * ${PRIMARY} + a.idleS`,
  pick: 'first',
};
