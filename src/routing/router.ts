// The CallRouter the IVR's `enqueue` verb talks to, on one controller node. It owns the sessions of
// the calls this node holds, turns every event that may make a match possible into a decision of
// the store (a caller arrives or escalates → call-driven; an agent comes free → agent-driven),
// receives offers other nodes made for its calls (a Redis stream), and runs the housekeeping sweep.
// Several routers on several nodes share one Redis; none of them keeps routing state of its own.
import type { HotlineEvents, HotlineEventMap } from '../events.js';
import type { Logger } from '../logger.js';
import { updateCall, type Db, type Redis, type RedisKeys } from '../store/index.js';
import type { CallRouter, EnqueueRequest, QueuedCall, QueueOutcome } from './contract.js';
import { holdOf, queueSchema, type ContactCenter, type QueueSettings } from './model.js';
import { planCall } from './requirement.js';
import { QueueSession } from './session.js';
import type { SessionHost } from './session-host.js';
import type { RoutingStore } from './store.js';
import type { RoutingTelephony } from './telephony.js';

export interface RouterOptions {
  store: RoutingStore;
  telephony: RoutingTelephony;
  contactCenter: ContactCenter;
  events: HotlineEvents;
  /** For the call record (queue, agent); null in tests without Postgres. */
  db: Db | null;
  log: Logger;
  keys: RedisKeys;
  /** A connection of its own for reading this node's offers stream; null: offers are not read. */
  offersRedis: Redis | null;
  /** How often the housekeeping sweep runs; 0: only when asked (tests). */
  sweepIntervalMs: number;
  /** A node silent this long is gone (its callers abandoned, its callbacks adopted). */
  nodeTimeoutMs: number;
}

/** A refused call was never in a queue: it is given the schema's defaults. */
const defaultHold = holdOf(queueSchema.parse({ name: 'default' }));

function rejected(
  callId: string,
  queue: string,
  reason: Extract<QueueOutcome, { kind: 'rejected' }>['reason'],
) {
  const call: QueuedCall = {
    id: callId,
    queue,
    hold: defaultHold,
    position: () => Promise.resolve({ position: 0, estimatedWaitSeconds: null }),
    convertToCallback: () => Promise.resolve(),
    outcome: Promise.resolve({ kind: 'rejected', reason }),
  };
  return call;
}

export class Router implements CallRouter, SessionHost {
  readonly store: RoutingStore;
  readonly telephony: RoutingTelephony;
  readonly log: Logger;
  readonly sessions = new Map<string, QueueSession>();
  private readonly queues: Map<string, QueueSettings>;
  private readonly pending = new Set<Promise<unknown>>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private offersLoop: Promise<void> | null = null;
  private stopping = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: RouterOptions) {
    this.store = options.store;
    this.telephony = options.telephony;
    this.log = options.log;
    this.queues = new Map(options.contactCenter.queues.map((q) => [q.name, q]));
  }

  now(): number {
    return this.store.clock();
  }

  /** Loads the contact center into Redis: queues, then agents (a known agent keeps its state). */
  async load(): Promise<void> {
    for (const q of this.options.contactCenter.queues) await this.store.loadQueue(q);
    for (const a of this.options.contactCenter.agents) await this.store.loadAgent(a);
  }

  start(): void {
    this.unsubscribe = this.options.events.on('call.ended', (e) => {
      const session = this.sessions.get(e.callId);
      if (session) this.run(`call ${e.callId} ended`, () => session.callerGone(e.cause));
    });
    if (this.options.offersRedis) this.offersLoop = this.readOffers(this.options.offersRedis);
    if (this.options.sweepIntervalMs > 0) {
      this.sweepTimer = setInterval(() => this.run('sweep', () => this.tick()), this.options.sweepIntervalMs);
      this.run('first sweep', () => this.tick());
    }
    // agents free at start (logged in before this node came up) may have callers waiting
    this.run('agents free at start', async () => {
      for (const id of await this.store.agentIds()) this.agentFree(id);
    });
  }

  async enqueue(request: EnqueueRequest): Promise<QueuedCall> {
    const queue = this.queues.get(request.queue);
    if (!queue) return rejected(request.callId, request.queue, 'unknown-queue');
    const existing = this.sessions.get(request.callId);
    if (existing) return existing;
    const enqueuedAt = this.now();
    const plan = planCall(queue, request, enqueuedAt);
    const priority = Math.max(
      0,
      Math.min(99, request.priority ?? (request.data?.vip === true ? queue.priorities.vip : 0)),
    );
    const result = await this.store.enqueue({
      callId: request.callId,
      queue: queue.name,
      plan,
      priority,
      enqueuedAt,
      channelId: request.channelId,
      mode: 'caller',
      ...(request.language ? { language: request.language } : {}),
    });
    if (result.kind === 'rejected') return rejected(request.callId, queue.name, result.reason);
    // in line already on another node, or a leftover: not this node's to route
    if (result.kind === 'exists') return rejected(request.callId, queue.name, 'closed');
    const session = new QueueSession(this, {
      callId: request.callId,
      channelId: request.channelId,
      queue,
      plan,
      enqueuedAt,
      ...(request.language ? { language: request.language } : {}),
    });
    this.sessions.set(session.id, session);
    session.start();
    return session;
  }

  run(label: string, work: () => Promise<unknown>): void {
    const job = work().catch((err: unknown) => this.log.error({ err, work: label }, 'routing work failed'));
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  /** Resolves once no background work is left (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  agentFree(agentId: string): void {
    if (this.stopping) return;
    this.run(`agent ${agentId} free`, async () => {
      const d = await this.store.dispatchAgent(agentId);
      if (d.kind === 'offered') await this.offered(d.callId, [agentId]);
    });
  }

  /** Agents were reserved for a call: ring them if the call is this node's, else give them back. */
  private async offered(callId: string, agents: string[]): Promise<void> {
    const session = this.sessions.get(callId);
    if (session) return session.offer(agents);
    const call = await this.store.call(callId);
    if (!call || call.node !== this.store.nodeId) return;
    // ours by the store, unknown here (this node restarted under the same id): nobody holds it
    this.log.warn({ call: callId }, 'an offer for a call this node does not hold; abandoning it');
    const r = await this.store.abandon(callId, 'node-lost');
    if (r.kind === 'abandoned') for (const a of r.released) this.agentFree(a);
  }

  connected(event: HotlineEventMap['call.connected']): void {
    this.options.events.emit('call.connected', event);
    const db = this.options.db;
    if (db)
      this.run(`call record ${event.callId}`, () =>
        updateCall(db, event.callId, { queue: event.queue, agent: event.agent }),
      );
  }

  async callEnded(callId: string, agentId: string, wrapUpSeconds: number, outcome: 'completed' | 'failed') {
    const r = await this.store.callEnded(callId, agentId, wrapUpSeconds, outcome);
    if (r.kind === 'free') this.agentFree(agentId);
    if (r.kind === 'wrap-up') {
      // the sweep ends wrap-ups too; this timer makes it on time
      const timer = setTimeout(
        () => this.run('wrap-up end', () => this.tick()),
        Math.max(0, r.until - this.now()) + 5,
      );
      timer.unref();
    }
  }

  forget(callId: string): void {
    this.sessions.delete(callId);
  }

  callerId(_queue: string): string {
    return this.options.contactCenter.callerId;
  }

  callbackEndpoint(number: string): string {
    return this.options.contactCenter.callbackEndpoint.replace('{number}', number);
  }

  /** One housekeeping round (sweep-0.lua), then the decisions it makes possible. */
  async tick(): Promise<void> {
    const r = await this.store.sweep(100, this.options.nodeTimeoutMs);
    for (const id of r.freedAgents) this.agentFree(id);
    for (const callId of r.calls) {
      const session = this.sessions.get(callId);
      if (session) this.run(`dispatch ${callId}`, () => session.dispatch());
      else this.run(`adopt ${callId}`, () => this.adopt(callId));
    }
  }

  /** A callback this node took over from a node that went away. */
  private async adopt(callId: string): Promise<void> {
    const call = await this.store.call(callId);
    if (!call || call.node !== this.store.nodeId || call.mode !== 'callback' || this.sessions.has(callId))
      return;
    const queue = this.queues.get(call.queue);
    if (!queue) return;
    const session = new QueueSession(this, {
      callId,
      channelId: '',
      queue,
      plan: { steps: call.steps, affinityAgent: null, affinityUntil: 0 },
      enqueuedAt: call.enqueuedAt,
      callbackNumber: call.callbackNumber,
    });
    this.sessions.set(callId, session);
    this.log.info({ call: callId, queue: call.queue }, 'adopted a callback from a node that went away');
    session.start();
  }

  private async readOffers(redis: Redis): Promise<void> {
    const key = this.options.keys.routingOffers(this.store.nodeId);
    const last = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
    let from = last[0]?.[0] ?? '0-0';
    while (!this.stopping) {
      try {
        const reply = await redis.xread('BLOCK', 1000, 'STREAMS', key, from);
        for (const [id, fields] of reply?.[0]?.[1] ?? []) {
          from = id;
          const f: Record<string, string> = {};
          for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
          if (f.call && f.agents)
            this.run(`offer ${f.call}`, () => this.offered(f.call!, f.agents!.split(',')));
        }
      } catch (err) {
        if (this.stopping) break;
        this.log.error({ err }, 'reading routing offers failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const session of [...this.sessions.values()]) await session.shutdown().catch(() => undefined);
    await this.idle();
    this.options.offersRedis?.disconnect();
    await this.offersLoop;
  }
}
