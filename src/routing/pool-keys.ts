// The per-skill parts of a queue's class index (ROUTING_KEYS.classIndex in src/store/keys.ts):
// which part a requirement class is filed in.

/** The part of the class index a requirement class is in (as class_part in lua/includes/call.lua). */
export function classPart(requirement: string): string {
  if (requirement.startsWith('@')) return '';
  return /^[^/]*\/([^:,]+):/.exec(requirement)?.[1] ?? '';
}
