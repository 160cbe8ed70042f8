// What a routing strategy is. The order of agents is kept by Redis: each queue has a sorted set
// of its available agents, scored by the queue's strategy when the agent becomes available, so
// picking is reading from the front. A strategy therefore says how to score an agent (a Lua
// expression, run inside the scripts) and how many eligible agents to take from the front.
//
// Variables the score expression may use (all numbers):
//   a.idle    ms since the epoch at which the agent last became available (earlier = idle longer)
//   a.idleS   the same in seconds since 2020-01-01, small enough to combine with another figure
//   a.calls   calls the agent answered since logging in
//   a.talk    seconds the agent talked since logging in
//   a.served  ms since the epoch at which THIS queue last gave the agent a call (0 = never)
// and `math.random()` (seeded per script run from ARGV). Lower scores come first. A score that
// combines a figure with the idle time uses `figure * 2^32 + a.idleS`, so equal figures fall back
// to the longest idle, and the sum stays an exact integer in a double.

export type StrategyPick =
  /** The first eligible agent in score order. */
  | 'first'
  /** Every eligible agent (up to the queue's ringAllMax) rings at once; the first to answer wins. */
  | 'all'
  /** The eligible agent with the highest proficiency in the call's main skill; ties: first in order. */
  | 'most-skilled';

export interface Strategy {
  readonly name: string;
  readonly description: string;
  readonly scoreLua: string;
  readonly pick: StrategyPick;
}

/** Multiplier that puts a figure above the idle-seconds tie-break in one score. */
export const PRIMARY = '4294967296';
