import { PRIMARY, type Strategy } from './strategy.js';

export const leastTalkTime: Strategy = {
  name: 'least-talk-time',
  description: 'the eligible agent with the least talk time since logging in; ties: longest idle',
  scoreLua: `a.talk * ${PRIMARY} + a.idleS`,
  pick: 'first',
};
