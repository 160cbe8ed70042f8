// What the supervisor and agent consoles see and change (through the API): live queues and
// agents from Redis, agent log in / out / aux / available and profile changes, and KPIs from
// the queue log. It works on any node, with or without ARI: when a change frees an agent, the
// agent-driven decision runs here and the offer goes to the node that holds the call.
import type { Db } from '../store/index.js';
import { AgentState, type RequestableState } from './agent-state.js';
import { RoutingError } from './errors.js';
import { agentKpis, queueKpis, type AgentKpis, type KpiQuery, type QueueKpis } from './kpis.js';
import type { AgentProfile, QueueSettings } from './model.js';
import type { AgentView, RoutingStore } from './store.js';

export interface WaitingCaller {
  callId: string;
  position: number;
  waitedSeconds: number;
  priority: number;
  mode: 'caller' | 'callback';
  /** The requirement in force: `zh/tech:4`; `*` then `/` for anyone; `@agent` in an affinity window. */
  requirement: string;
}

export interface QueueLive {
  name: string;
  strategy: string;
  serviceLevel: { percent: number; seconds: number };
  waiting: number;
  longestWaitSeconds: number | null;
  availableAgents: number;
  loggedInAgents: number;
  averageHandleSeconds: number | null;
}

/** Callers listed per queue at most (the count is exact). */
const LIST_LIMIT = 500;

export class RoutingConsole {
  constructor(
    private readonly store: RoutingStore,
    private readonly db: Db,
  ) {}

  private async settings(name: string): Promise<QueueSettings> {
    const q = await this.store.queueSettings(name);
    if (!q) throw new RoutingError('ROUTING_UNKNOWN_QUEUE', `No queue ${name}`);
    return q;
  }

  async queues(): Promise<QueueLive[]> {
    return Promise.all((await this.store.queueNames()).map((q) => this.queue(q)));
  }

  async queue(name: string): Promise<QueueLive> {
    const q = await this.settings(name);
    const { redis, keys } = this.store;
    const [waiting, available, staffed, aht, callers] = await Promise.all([
      redis.zcard(keys.routingWaiting(name)),
      redis.zcard(keys.routingAvailable(name)),
      redis.scard(keys.routing('staffed', name)),
      redis.hget(keys.routing('queueStats', name), 'aht'),
      this.callers(name),
    ]);
    const longest = callers.reduce<number | null>((m, c) => Math.max(m ?? 0, c.waitedSeconds), null);
    return {
      name,
      strategy: q.strategy,
      serviceLevel: q.serviceLevel,
      waiting,
      longestWaitSeconds: longest,
      availableAgents: available,
      loggedInAgents: staffed,
      averageHandleSeconds: aht === null ? null : Math.round(Number(aht)),
    };
  }

  /** The callers in line, next first. */
  async callers(name: string): Promise<WaitingCaller[]> {
    await this.settings(name);
    const ids = await this.store.redis.zrange(
      this.store.keys.routingWaiting(name),
      '0',
      String(LIST_LIMIT - 1),
    );
    const now = this.store.clock();
    const views = await Promise.all(ids.map((id) => this.store.call(id)));
    return views.flatMap((c, i) =>
      c
        ? [
            {
              callId: c.id,
              position: i + 1,
              waitedSeconds: Math.round((now - c.enqueuedAt) / 1000),
              priority: c.priority,
              mode: c.mode,
              requirement: c.requirement,
            },
          ]
        : [],
    );
  }

  async agents(): Promise<AgentView[]> {
    const views = await Promise.all((await this.store.agentIds()).map((id) => this.store.agent(id)));
    return views.filter((v): v is AgentView => v !== null);
  }

  async agent(id: string): Promise<AgentView> {
    const view = await this.store.agent(id);
    if (!view) throw new RoutingError('ROUTING_UNKNOWN_AGENT', `No agent ${id}`);
    return view;
  }

  /** Log in, aux (with a reason), available, log out; busy agents get it after their call. */
  async setState(
    id: string,
    state: RequestableState,
    reason = '',
  ): Promise<AgentView & { applied: boolean }> {
    const r = await this.store.setAgentState(id, state, reason);
    if (r.state === AgentState.Available) await this.store.dispatchAgent(id);
    return { ...(await this.agent(id)), applied: !r.pending };
  }

  async saveProfile(profile: AgentProfile): Promise<{ created: boolean; agent: AgentView }> {
    for (const q of profile.queues) await this.settings(q);
    const result = await this.store.loadAgent(profile);
    const view = await this.agent(profile.id);
    if (view.state === AgentState.Available) await this.store.dispatchAgent(profile.id);
    return { created: result === 'created', agent: await this.agent(profile.id) };
  }

  async removeAgent(id: string): Promise<void> {
    await this.store.removeAgent(id);
  }

  async kpis(query: KpiQuery): Promise<{ queues: QueueKpis[]; agents: AgentKpis[] }> {
    const names = query.queue ? [query.queue] : await this.store.queueNames();
    const serviceLevelSeconds: Record<string, number> = {};
    for (const name of names) serviceLevelSeconds[name] = (await this.settings(name)).serviceLevel.seconds;
    const [queues, agents] = await Promise.all([
      queueKpis(this.db, { ...query, serviceLevelSeconds }),
      agentKpis(this.db, query),
    ]);
    return { queues, agents };
  }
}
