// Every Redis key Hotline uses is built here, under one prefix, so that several hotlines (or
// test runs) can share a Redis and a reader can find every key's shape in one file.
// Modules add their builders below as they need them; nothing builds a key inline.

export class RedisKeys {
  constructor(readonly prefix: string) {}

  private k(...parts: (string | number)[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** BullMQ's own prefix for this hotline's job queues. */
  get bullPrefix(): string {
    return this.k('bull');
  }

  /** Live state of one call (hash), shared by all controller nodes. */
  call(callId: string): string {
    return this.k('call', callId);
  }

  /** Stream of final transcript segments, one entry each (fields: docs/transcription.md). */
  transcriptsStream(): string {
    return this.k('transcripts');
  }

  /** Stream of live events for consoles (call, queue, agent, transcript, QA alerts). */
  eventsStream(): string {
    return this.k('events');
  }

  /** QA's live state of one call (hash: caller anger, whether an alert is out). */
  qaLive(callId: string): string {
    return this.k('qa', 'live', callId);
  }

  /** Used by `hotline doctor` to prove it can write and read. */
  doctorProbe(): string {
    return this.k('doctor', 'probe');
  }

  // ── routing (src/routing): every key the ACD uses, `<prefix>:routing:<kind>[:<part>...]` ──

  /** A routing key of one kind (see ROUTING_KEYS for what each holds). */
  routing(kind: RoutingKeyKind, ...parts: (string | number)[]): string {
    return this.k('routing', ROUTING_KEYS[kind].segment, ...parts);
  }

  /** What the routing Lua scripts receive as ARGV[1]; their `K.<kind>(...)` functions append to it. */
  routingBase(): string {
    return `${this.k('routing')}:`;
  }

  routingAgent(agentId: string): string {
    return this.routing('agent', agentId);
  }

  routingCall(callId: string): string {
    return this.routing('call', callId);
  }

  routingQueue(queue: string): string {
    return this.routing('queue', queue);
  }

  routingWaiting(queue: string): string {
    return this.routing('waiting', queue);
  }

  routingAvailable(queue: string): string {
    return this.routing('available', queue);
  }

  routingLog(): string {
    return this.routing('log');
  }

  routingOffers(nodeId: string): string {
    return this.routing('offers', nodeId);
  }
}

/**
 * The routing key kinds. The Lua scripts build the same keys through functions generated from
 * this table (`routingLuaKeyFunctions`), so TypeScript and Lua can never disagree on a name.
 */
export const ROUTING_KEYS = {
  /** hash: an agent's profile (skills, languages, queues, endpoint) and live state. */
  agent: { segment: 'agent', parts: ['agentId'] },
  /** set: every agent id. */
  agents: { segment: 'agents', parts: [] },
  /** hash: agent id → bitmap index, and `#<index>` → agent id. */
  agentIndex: { segment: 'agent-index', parts: [] },
  /** string counter: the next bitmap index. */
  agentSeq: { segment: 'agent-seq', parts: [] },
  /** hash: a queue's settings used by the scripts (strategy, max size, ...). */
  queue: { segment: 'queue', parts: ['queue'] },
  /** set: every queue name. */
  queues: { segment: 'queues', parts: [] },
  /** hash: queue → strategy, read in one HMGET when an agent serving several queues changes. */
  strategies: { segment: 'strategies', parts: [] },
  /** sorted set: callers waiting in a queue, best first (priority, then time of arrival). */
  waiting: { segment: 'waiting', parts: ['queue'] },
  /**
   * sorted set: the callers of a queue whose current requirement is `requirement` (a class). Kept
   * only where there is no match index (EVAL: a Redis without functions), as `classIndex`.
   */
  classWaiting: { segment: 'class', parts: ['queue', 'requirement'] },
  /** sorted set: waiting calls by the time their requirement changes next (step end, affinity end). */
  refiles: { segment: 'refiles', parts: [] },
  /** sorted set: agents of a queue free to take a call (by bitmap index), scored by the queue's strategy. */
  available: { segment: 'available', parts: ['queue'] },
  /**
   * sorted set: a queue's requirement classes whose first skill is `part` (`''`: classes asking no
   * skill, and affinity classes `@<agent>`), scored by the best caller in each. A free agent reads
   * only the parts of its own skills and `''`. Kept only where there is no match index (EVAL).
   */
  classIndex: { segment: 'class-index', parts: ['queue', 'part'] },
  /** bitmap: every agent free to take a call (in any of its queues), by bitmap index. */
  availableBits: { segment: 'available-bits', parts: [] },
  /** set: agents serving a queue (from their profiles). */
  members: { segment: 'members', parts: ['queue'] },
  /** bitmap: the same agents as `members`, by bitmap index. */
  memberBits: { segment: 'member-bits', parts: ['queue'] },
  /** set: members of a queue who are logged in. */
  staffed: { segment: 'staffed', parts: ['queue'] },
  /** hash: running figures of a queue (average handle time for the estimated wait). */
  queueStats: { segment: 'queue-stats', parts: ['queue'] },
  /** bitmap: agents with `skill` at proficiency `level` or above. */
  skillBits: { segment: 'skill', parts: ['skill', 'level'] },
  /** bitmap: agents who speak `language`. */
  languageBits: { segment: 'language', parts: ['language'] },
  /** bitmap: agents meeting a requirement (cached AND of skill and language bitmaps). */
  eligible: { segment: 'eligible', parts: ['requirement'] },
  /** set: the requirements cached in `eligible`, dropped when a profile changes. */
  eligibleSet: { segment: 'eligible-set', parts: [] },
  /** hash: a call in a queue (owner node, state, steps, agents offered). */
  call: { segment: 'call', parts: ['callId'] },
  /** set: agents who did not answer this call (not offered it again). */
  skipped: { segment: 'skipped', parts: ['callId'] },
  /** sorted set: `callId agentId` reservations by the time they expire. */
  reservations: { segment: 'reservations', parts: [] },
  /** sorted set: agents in wrap-up by the time it ends. */
  wrapUps: { segment: 'wrap-ups', parts: [] },
  /** stream: every routing event, read into Postgres `queue_log`. */
  log: { segment: 'log', parts: [] },
  /** stream: offers (call → agents) for the node that owns the call. */
  offers: { segment: 'offers', parts: ['nodeId'] },
  /** sorted set: controller nodes by their last heartbeat (ms). */
  nodes: { segment: 'nodes', parts: [] },
  /** set: the calls a node owns (holds the caller's channel or the callback). */
  nodeCalls: { segment: 'node-calls', parts: ['nodeId'] },
  /**
   * string: the stamp of the last change to what the routing library's in-memory match index
   * holds (lua/includes/index.lua): an index is used only while this is the stamp it wrote.
   */
  indexStamp: { segment: 'index-stamp', parts: [] },
  /** string: scratch bitmap for a BITOP inside one script run, deleted before it ends. */
  scratch: { segment: 'scratch', parts: ['purpose'] },
} as const;

export type RoutingKeyKind = keyof typeof ROUTING_KEYS;

/** Lua source defining `K.<kind>(parts...)` for every routing key, relative to `base` (ARGV[1]). */
export function routingLuaKeyFunctions(baseVar = 'BASE'): string {
  const lines = ['local K = {}'];
  for (const [kind, { segment, parts }] of Object.entries(ROUTING_KEYS)) {
    const args = parts.map((_, i) => `a${i + 1}`);
    const tail = args.map((a) => ` .. ':' .. ${a}`).join('');
    lines.push(`K.${kind} = function(${args.join(', ')}) return ${baseVar} .. '${segment}'${tail} end`);
  }
  return lines.join('\n');
}
