// The contact center as data: agents, queues, routing steps and overflow. Read from
// `config/contact-center.yaml` (validated here with zod) and loaded into Redis at start; agents'
// profiles can also change at run time through the API, with the same schema.
import { z } from 'zod';
import type { QueueHold } from './contract.js';
import { strategyNames } from './strategies/index.js';

/** Skill and language names appear in Redis keys and requirement strings: keep them plain. */
const name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, _ and - only');
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'letters, digits, _ . @ - only');
const level = z.number().int().min(1).max(5);
const seconds = z.number().min(0).max(86_400);

export const agentProfileSchema = z.object({
  id,
  name: z.string().max(100).optional(),
  /** ARI dial string of the agent's phone, e.g. `PJSIP/agent1`. */
  endpoint: z.string().regex(/^[A-Za-z]+\/\S+$/, 'an ARI dial string such as PJSIP/agent1'),
  /** Skill → proficiency, 1 (trained) to 5 (expert). */
  skills: z.record(name, level).default({}),
  languages: z.array(name).min(1).default(['en']),
  /** Calls the agent may hold at once (1 for a voice agent; more for a supervisor line). */
  maxCalls: z.number().int().min(1).max(10).default(1),
  queues: z.array(name).min(1),
  /** State given when the agent is first loaded (an agent already in Redis keeps its state). */
  initialState: z.enum(['logged-out', 'available']).default('logged-out'),
});
export type AgentProfile = z.infer<typeof agentProfileSchema>;

/** One routing step: who may take the call, for how long before the next step. */
export const routingStepSchema = z.object({
  /** How long this step lasts; the last step may omit it (it lasts until the queue's max wait). */
  seconds: seconds.optional(),
  /** Minimum proficiency per skill. Empty: any agent of the queue. */
  skills: z.record(name, level).default({}),
  /** The agent must speak the caller's language. */
  language: z.boolean().default(true),
});
export type RoutingStep = z.infer<typeof routingStepSchema>;

export const overflowSchema = z.union([
  z.object({ queue: name }).strict(),
  z.object({ voicemail: z.literal(true) }).strict(),
  z.object({ callback: z.literal(true) }).strict(),
  /** A step of the IVR flow to continue at. */
  z.object({ step: z.string().min(1) }).strict(),
]);
export type OverflowTarget = z.infer<typeof overflowSchema>;

export const queueSchema = z.object({
  name,
  strategy: z.enum(strategyNames).default('longest-idle'),
  /** Service-level target: `percent` of calls answered within `seconds`. */
  serviceLevel: z
    .object({ percent: z.number().min(1).max(100), seconds: z.number().int().min(1).max(3600) })
    .prefault({ percent: 80, seconds: 20 }),
  /** A caller waits at most this long; then the overflow applies. */
  maxWaitSeconds: z.number().int().min(1).max(86_400).default(300),
  /** Callers allowed in line at once; the next one is rejected with `queue-full`. */
  maxSize: z.number().int().min(1).max(1_000_000).default(100),
  /** Accept callers when no agent of the queue is logged in. */
  joinEmpty: z.boolean().default(false),
  ringSeconds: z.number().int().min(1).max(300).default(15),
  wrapUpSeconds: z.number().int().min(0).max(3600).default(10),
  /** Consecutive unanswered offers that put an agent in the `missed` aux state. */
  maxMissed: z.number().int().min(1).max(100).default(2),
  /** Ring-all: at most this many agents at once. */
  ringAllMax: z.number().int().min(1).max(50).default(10),
  /** Wait up to this long for the caller's previous agent before offering anyone else. */
  affinitySeconds: z.number().int().min(0).max(600).default(0),
  priorities: z
    .object({
      vip: z.number().int().min(0).max(99).default(10),
      callback: z.number().int().min(0).max(99).default(5),
    })
    .prefault({}),
  mohClass: z.string().min(1).default('default'),
  /** What the IVR announces to waiting callers, and how often. */
  announcements: z
    .object({
      everySeconds: z.number().int().min(5).max(3600).default(30),
      position: z.boolean().default(true),
      estimatedWait: z.boolean().default(true),
    })
    .prefault({}),
  steps: z
    .array(routingStepSchema)
    .min(1)
    .max(8)
    .default([{ skills: {}, language: false }]),
  overflow: overflowSchema.default({ voicemail: true }),
});
export type QueueSettings = z.infer<typeof queueSchema>;

/** What the IVR reads to keep a waiting caller: the queue's music on hold and announcements. */
export function holdOf(q: QueueSettings): QueueHold {
  return {
    mohClass: q.mohClass,
    announceEverySeconds: q.announcements.everySeconds,
    announcePosition: q.announcements.position,
    announceEstimatedWait: q.announcements.estimatedWait,
  };
}

export const contactCenterSchema = z
  .object({
    /** Caller id shown on agents' phones when Hotline rings them. */
    callerId: z.string().default('Hotline'),
    /** How callbacks reach customers: `{number}` is replaced by the customer's number. */
    callbackEndpoint: z.string().default('PJSIP/{number}@trunk'),
    queues: z.array(queueSchema).min(1),
    agents: z.array(agentProfileSchema).default([]),
  })
  .superRefine((cc, ctx) => {
    const queues = new Set<string>();
    cc.queues.forEach((q, i) => {
      if (queues.has(q.name))
        ctx.addIssue({ code: 'custom', path: ['queues', i, 'name'], message: `queue ${q.name} twice` });
      queues.add(q.name);
    });
    cc.queues.forEach((q, i) => {
      if ('queue' in q.overflow && !queues.has(q.overflow.queue))
        ctx.addIssue({
          code: 'custom',
          path: ['queues', i, 'overflow', 'queue'],
          message: `unknown queue ${q.overflow.queue}`,
        });
      q.steps.slice(0, -1).forEach((s, j) => {
        if (s.seconds === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['queues', i, 'steps', j, 'seconds'],
            message: 'every step but the last needs `seconds`',
          });
      });
    });
    const agents = new Set<string>();
    cc.agents.forEach((a, i) => {
      if (agents.has(a.id))
        ctx.addIssue({ code: 'custom', path: ['agents', i, 'id'], message: `agent ${a.id} twice` });
      agents.add(a.id);
      a.queues.forEach((q, j) => {
        if (!queues.has(q))
          ctx.addIssue({ code: 'custom', path: ['agents', i, 'queues', j], message: `unknown queue ${q}` });
      });
    });
  });
export type ContactCenter = z.infer<typeof contactCenterSchema>;
