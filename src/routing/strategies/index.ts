// The routing strategies, one file each, and the Lua that scores an agent for a queue's strategy.
import { bestSkill } from './best-skill.js';
import { fewestCalls } from './fewest-calls.js';
import { leastTalkTime } from './least-talk-time.js';
import { longestIdle } from './longest-idle.js';
import { random } from './random.js';
import { ringAll } from './ring-all.js';
import { roundRobin } from './round-robin.js';
import type { Strategy } from './strategy.js';

export type { Strategy, StrategyPick } from './strategy.js';

export const strategies = [
  longestIdle,
  fewestCalls,
  leastTalkTime,
  roundRobin,
  ringAll,
  bestSkill,
  random,
] as const satisfies readonly Strategy[];

export type StrategyName = (typeof strategies)[number]['name'];

export const strategyNames = strategies.map((s) => s.name) as [StrategyName, ...StrategyName[]];

/** Lua: `strategy_score(strategy, a)` and `STRATEGY_PICK[strategy]`, for the scripts' `@include strategies`. */
export function strategiesLua(): string {
  const branches = strategies
    .map((s, i) => `  ${i === 0 ? 'if' : 'elseif'} strategy == '${s.name}' then return ${s.scoreLua}`)
    .join('\n');
  const picks = strategies.map((s) => `['${s.name}'] = '${s.pick}'`).join(', ');
  return [
    'local function strategy_score(strategy, a)',
    branches,
    '  end',
    '  return a.idle',
    'end',
    `local STRATEGY_PICK = { ${picks} }`,
  ].join('\n');
}
