// Routing keys that split a per-queue structure by skill, so a decision looks only at the part
// that can match. They live beside ROUTING_KEYS (src/store/keys.ts) under the same base and are
// rendered into the Lua the same way (`K.<kind>(...)`), so TypeScript and Lua agree on them.
import type { RedisKeys } from '../store/index.js';

export const ROUTING_POOL_KEYS = {
  /**
   * sorted set: the agents of `available(queue)` who have `skill` at any level, with the same
   * scores: a call needing that skill walks this set instead of the whole queue's.
   */
  availableSkill: { segment: 'available-skill', parts: ['queue', 'skill'] },
  /**
   * sorted set: a queue's requirement classes whose first skill is `part` (`''`: classes asking no
   * skill, and affinity classes `@<agent>`), scored by the best caller in each. A free agent reads
   * only the parts of its own skills and `''`.
   */
  classIndex: { segment: 'class-index', parts: ['queue', 'part'] },
} as const;

export type RoutingPoolKeyKind = keyof typeof ROUTING_POOL_KEYS;

export function routingPoolKey(keys: RedisKeys, kind: RoutingPoolKeyKind, ...parts: string[]): string {
  return `${keys.routingBase()}${ROUTING_POOL_KEYS[kind].segment}${parts.map((p) => `:${p}`).join('')}`;
}

/** Lua source adding `K.<kind>(parts...)` for these keys to the table `K` of routingLuaKeyFunctions. */
export function routingPoolKeyFunctionsLua(baseVar = 'BASE'): string {
  return Object.entries(ROUTING_POOL_KEYS)
    .map(([kind, { segment, parts }]) => {
      const args = parts.map((_, i) => `a${i + 1}`);
      const tail = args.map((a) => ` .. ':' .. ${a}`).join('');
      return `K.${kind} = function(${args.join(', ')}) return ${baseVar} .. '${segment}'${tail} end`;
    })
    .join('\n');
}

/** The part of the class index a requirement class is in (as class_part in lua/includes/call.lua). */
export function classPart(requirement: string): string {
  if (requirement.startsWith('@')) return '';
  return /^[^/]*\/([^:,]+):/.exec(requirement)?.[1] ?? '';
}
