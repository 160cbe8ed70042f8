// The routing state in Redis, as typed operations. Every change is one Lua script (lua/*.lua);
// this class only builds their arguments and reads their answers. It knows nothing of ARI: the
// router (router.ts) decides when to call what. Any number of stores on any number of nodes may
// share one Redis: the scripts are what keeps an agent from being booked twice.
import { randomInt } from 'node:crypto';
import type { Redis, RedisKeys } from '../store/index.js';
import { AgentState, IllegalTransitionError, type RequestableState } from './agent-state.js';
import { CallState } from './call-state.js';
import { DecisionBatcher } from './batcher.js';
import { RoutingError } from './errors.js';
import { RoutingScripts } from './lua/index.js';
import type { AgentProfile, OverflowTarget, QueueSettings } from './model.js';
import { decodePlan, encodePlan, waitingScore, type CallPlan, type PlannedStep } from './requirement.js';

export type Clock = () => number;

export interface EnqueueEntry {
  callId: string;
  queue: string;
  plan: CallPlan;
  priority: number;
  /** When the call joined the line (ms); the plan's step times count from here. */
  enqueuedAt: number;
  channelId: string;
  mode: 'caller' | 'callback';
  callbackNumber?: string;
  language?: string;
}

export type EnqueueResult =
  | { kind: 'queued'; position: number }
  | { kind: 'exists'; state: string }
  | { kind: 'rejected'; reason: 'queue-full' | 'no-agents' | 'unknown-queue' };

export type CallDispatch =
  | { kind: 'offered'; step: number; agents: string[] }
  | { kind: 'none'; step: number }
  | { kind: 'not-waiting'; state: string };

/** What the routing library's match index holds for a key base (RoutingStore.matchIndex). */
export interface MatchIndexInfo {
  /** Whether the library has a current index for this key base. */
  built: boolean;
  /** Indexes the library has built (any key base) since it was loaded. */
  builds: number;
  freeAgents: number;
  waitingCalls: number;
  /** The Lua heap of Redis' functions engine (every library), KB. */
  luaHeapKb: number;
  /** Agents and calls the library's decisions found the index had wrong (any key base). */
  repairs: number;
}

export type AgentDispatch =
  { kind: 'offered'; callId: string; step: number } | { kind: 'none' } | { kind: 'busy'; state: string };

export interface AgentView {
  id: string;
  name: string;
  endpoint: string;
  state: AgentState;
  reason: string;
  /** When the agent entered the state (ms). */
  since: number;
  /** Calls held now (reserved, ringing, talking). */
  load: number;
  maxCalls: number;
  queues: string[];
  languages: string[];
  skills: Record<string, number>;
  callsAnswered: number;
  talkSeconds: number;
  missedInARow: number;
  /** A state asked for while busy, applied when the call's wrap-up ends. */
  pending: string | null;
  wrapUntil: number | null;
}

export interface CallView {
  id: string;
  state: CallState;
  queue: string;
  node: string;
  channelId: string;
  mode: 'caller' | 'callback';
  callbackNumber: string;
  priority: number;
  enqueuedAt: number;
  agents: string[];
  agent: string | null;
  /** The requirement class the call waits in (`@agent` during an affinity window). */
  requirement: string;
  steps: PlannedStep[];
}

const csv = (s: string | undefined) => (s ? s.split(',').filter(Boolean) : []);

/** The most decisions one script run makes (it holds Redis for all of them). */
export const MAX_DECISIONS_PER_RUN = 16;

/** One agent-driven decision's run: the agent, where its previous run stopped ('' to start). */
interface AgentTurn {
  agentId: string;
  cursor: string;
  pageSize: number;
}

type AgentRunResult = AgentDispatch | { kind: 'more'; cursor: string };

function callDispatchOf(kind: string, step: string | number, agents: string[]): CallDispatch {
  if (kind === 'offered') return { kind, step: Number(step), agents };
  if (kind === 'none') return { kind, step: Number(step) };
  return { kind: 'not-waiting', state: String(step) };
}

function agentRunResultOf(kind: string, a: string, b: string | number): AgentRunResult {
  if (kind === 'offered') return { kind, callId: a, step: Number(b) };
  if (kind === 'busy') return { kind, state: a };
  if (kind === 'more') return { kind, cursor: a };
  return { kind: 'none' };
}

export class RoutingStore {
  private readonly scripts = new RoutingScripts();
  readonly base: string;

  constructor(
    readonly redis: Redis,
    readonly keys: RedisKeys,
    readonly nodeId: string,
    readonly clock: Clock = Date.now,
  ) {
    this.base = keys.routingBase();
  }

  private async run<T>(name: string, keys: string[], args: (string | number)[]): Promise<T> {
    return (await this.scripts.run(this.redis, name, keys, [this.base, this.clock(), ...args])) as T;
  }

  // ── configuration ──

  async loadQueue(q: QueueSettings): Promise<'created' | 'updated'> {
    return this.run(
      'upsertQueue',
      [this.keys.routingQueue(q.name)],
      [
        q.name,
        q.strategy,
        q.maxSize,
        q.joinEmpty ? '1' : '0',
        q.strategy === 'ring-all' ? q.ringAllMax : 1,
        JSON.stringify(q),
      ],
    );
  }

  async loadAgent(p: AgentProfile): Promise<'created' | 'updated'> {
    const skills = Object.entries(p.skills)
      .map(([s, l]) => `${s}:${l}`)
      .join(',');
    return this.run(
      'upsertAgent',
      [this.keys.routingAgent(p.id)],
      [
        p.id,
        p.name ?? p.id,
        p.endpoint,
        p.maxCalls,
        p.queues.join(','),
        p.languages.join(','),
        skills,
        p.initialState,
      ],
    );
  }

  async removeAgent(id: string): Promise<void> {
    const result = await this.run<string | [string, string]>(
      'removeAgent',
      [this.keys.routingAgent(id)],
      [id],
    );
    if (result === 'unknown') throw new RoutingError('ROUTING_UNKNOWN_AGENT', `No agent ${id}`);
    if (Array.isArray(result))
      throw new IllegalTransitionError(id, result[1], 'removed (log the agent out first)');
  }

  async queueSettings(queue: string): Promise<QueueSettings | null> {
    const json = await this.redis.hget(this.keys.routingQueue(queue), 'settings');
    return json ? (JSON.parse(json) as QueueSettings) : null;
  }

  async queueNames(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.routing('queues'))).sort();
  }

  // ── agents ──

  /** An agent asks for a state; while busy it is applied after the call (`pending: true`). */
  async setAgentState(
    id: string,
    to: RequestableState,
    reason = '',
  ): Promise<{ state: AgentState; pending: boolean }> {
    const [kind, a, b] = await this.run<string[]>(
      'setAgentState',
      [this.keys.routingAgent(id)],
      [id, to, reason],
    );
    if (kind === 'unknown') throw new RoutingError('ROUTING_UNKNOWN_AGENT', `No agent ${id}`);
    if (kind === 'illegal') throw new IllegalTransitionError(id, a!, b!);
    return { state: a as AgentState, pending: kind === 'pending' };
  }

  async agent(id: string): Promise<AgentView | null> {
    const h = await this.redis.hgetall(this.keys.routingAgent(id));
    if (!h.state) return null;
    const skills: Record<string, number> = {};
    for (const pair of csv(h.skills)) {
      const [s, l] = pair.split(':');
      skills[s!] = Number(l);
    }
    return {
      id,
      name: h.name ?? id,
      endpoint: h.endpoint ?? '',
      state: h.state as AgentState,
      reason: h.reason ?? '',
      since: Number(h.since),
      load: Number(h.load ?? 0),
      maxCalls: Number(h.maxCalls ?? 1),
      queues: csv(h.queues),
      languages: csv(h.languages),
      skills,
      callsAnswered: Number(h.calls ?? 0),
      talkSeconds: Number(h.talk ?? 0),
      missedInARow: Number(h.missed ?? 0),
      pending: h.pending || null,
      wrapUntil: (h.state as AgentState) === AgentState.WrapUp && h.wrapUntil ? Number(h.wrapUntil) : null,
    };
  }

  async agentIds(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.routing('agents'))).sort();
  }

  // ── calls ──

  async enqueue(e: EnqueueEntry): Promise<EnqueueResult> {
    const [kind, detail] = await this.run<[string, string | number]>(
      'enqueue',
      [this.keys.routingCall(e.callId), this.keys.routingQueue(e.queue)],
      [
        e.callId,
        e.queue,
        encodePlan(e.plan),
        waitingScore(e.priority, e.enqueuedAt),
        e.priority,
        this.nodeId,
        e.channelId,
        e.mode,
        e.callbackNumber ?? '',
        e.language ?? '',
        e.plan.affinityAgent ?? '',
        e.plan.affinityUntil,
        e.enqueuedAt,
      ],
    );
    if (kind === 'queued') return { kind, position: Number(detail) };
    if (kind === 'exists') return { kind, state: String(detail) };
    return { kind: 'rejected', reason: detail as 'queue-full' | 'no-agents' | 'unknown-queue' };
  }

  private readonly callDecisions = new DecisionBatcher<string, CallDispatch>(
    (ids) => this.dispatchCalls(ids),
    MAX_DECISIONS_PER_RUN,
  );

  private readonly agentDecisions = new DecisionBatcher<AgentTurn, AgentRunResult>(
    (turns) => this.dispatchAgentRuns(turns),
    MAX_DECISIONS_PER_RUN,
  );

  /**
   * Call-driven decision: reserve agents for this waiting call if any may take it now. Decisions
   * asked for while another is in flight go together in the next script run (see batcher.ts).
   */
  dispatchCall(callId: string): Promise<CallDispatch> {
    return this.callDecisions.decide(callId);
  }

  /** Call-driven decisions for these calls in one script run, best caller first; one answer each. */
  async dispatchCalls(callIds: string[]): Promise<CallDispatch[]> {
    // one flat reply: per call, kind, step (or state), the number of agents, the agents
    const flat = await this.run<(string | number)[]>(
      'dispatchCalls',
      [],
      [randomInt(1, 2 ** 31), this.nodeId, ...callIds],
    );
    const out: CallDispatch[] = [];
    for (let i = 0; i < flat.length;) {
      const n = Number(flat[i + 2]);
      out.push(callDispatchOf(String(flat[i]), flat[i + 1]!, flat.slice(i + 3, i + 3 + n) as string[]));
      i += 3 + n;
    }
    return out;
  }

  /**
   * Agent-driven decision: reserve the best waiting call this free agent may take. Each script
   * run reads at most `pageSize` classes per part of a queue's class index; the loop continues
   * from its cursor. Runs are batched with other agents' as call-driven ones are.
   */
  async dispatchAgent(agentId: string, pageSize = 64): Promise<AgentDispatch> {
    let cursor = '';
    for (;;) {
      const r = await this.agentDecisions.decide({ agentId, cursor, pageSize });
      if (r.kind !== 'more') return r;
      cursor = r.cursor;
    }
  }

  /** Agent-driven decisions for these agents in one script run, in order; one answer each. */
  async dispatchAgents(agentIds: string[], pageSize = 64): Promise<AgentDispatch[]> {
    const done: (AgentDispatch | null)[] = agentIds.map(() => null);
    let turns = agentIds.map((agentId, at) => ({ at, agentId, cursor: '', pageSize }));
    while (turns.length) {
      const results = await this.dispatchAgentRuns(turns);
      const next: typeof turns = [];
      results.forEach((r, i) => {
        if (r.kind === 'more') next.push({ ...turns[i]!, cursor: r.cursor });
        else done[turns[i]!.at] = r;
      });
      turns = next;
    }
    return done as AgentDispatch[];
  }

  /** One run of dispatchAgents-0.lua. */
  private async dispatchAgentRuns(turns: AgentTurn[]): Promise<AgentRunResult[]> {
    // one flat reply: three values per agent (kind, then up to two, '' where there are fewer)
    const flat = await this.run<(string | number)[]>(
      'dispatchAgents',
      [],
      [this.nodeId, ...turns.flatMap((t) => [t.agentId, t.cursor, t.pageSize])],
    );
    const out: AgentRunResult[] = [];
    for (let i = 0; i < flat.length; i += 3)
      out.push(agentRunResultOf(String(flat[i]), String(flat[i + 1]), flat[i + 2]!));
    return out;
  }

  async ringing(callId: string, agentId: string, untilMs: number): Promise<boolean> {
    const result = await this.run<unknown>(
      'ringing',
      [this.keys.routingCall(callId), this.keys.routingAgent(agentId)],
      [callId, agentId, untilMs],
    );
    return result === 'ringing';
  }

  /** The agent answered: connected (other agents rung for it are released) or gone. */
  async answered(
    callId: string,
    agentId: string,
  ): Promise<{ kind: 'connected'; released: string[] } | { kind: 'gone'; state: string }> {
    const [kind, ...rest] = await this.run<string[]>(
      'answered',
      [this.keys.routingCall(callId), this.keys.routingAgent(agentId)],
      [callId, agentId],
    );
    if (kind === 'connected') return { kind, released: rest };
    return { kind: 'gone', state: rest[0] ?? 'unknown' };
  }

  async noAnswer(
    callId: string,
    agentId: string,
    reason: 'no-answer' | 'busy' | 'unreachable' | 'expired',
    maxMissed: number,
    countsAsMiss = true,
  ): Promise<'requeued' | 'ringing-others' | 'gone'> {
    const [kind] = await this.run<string[]>(
      'noAnswer',
      [this.keys.routingCall(callId), this.keys.routingAgent(agentId)],
      [callId, agentId, reason, maxMissed, countsAsMiss ? '1' : '0'],
    );
    return kind as 'requeued' | 'ringing-others' | 'gone';
  }

  async abandon(
    callId: string,
    reason = 'hangup',
  ): Promise<
    { kind: 'abandoned'; released: string[] } | { kind: 'connected'; agent: string } | { kind: 'gone' }
  > {
    const [kind, ...rest] = await this.run<string[]>(
      'abandon',
      [this.keys.routingCall(callId)],
      [callId, reason],
    );
    if (kind === 'abandoned') return { kind, released: rest };
    if (kind === 'connected') return { kind, agent: rest[0]! };
    return { kind: 'gone' };
  }

  async overflow(callId: string, target: OverflowTarget): Promise<'overflowed' | 'offered' | 'gone'> {
    const [kind] = await this.run<string[]>(
      'overflow',
      [this.keys.routingCall(callId)],
      [callId, JSON.stringify(target)],
    );
    return kind as 'overflowed' | 'offered' | 'gone';
  }

  async callEnded(
    callId: string,
    agentId: string,
    wrapUpSeconds: number,
    outcome: 'completed' | 'failed' = 'completed',
  ): Promise<{ kind: 'wrap-up'; until: number } | { kind: 'free'; state: string } | { kind: 'gone' }> {
    const [kind, detail] = await this.run<[string, string | number]>(
      'callEnded',
      [this.keys.routingCall(callId), this.keys.routingAgent(agentId)],
      [callId, agentId, wrapUpSeconds, outcome],
    );
    if (kind === 'wrap-up') return { kind, until: Number(detail) };
    if (kind === 'free') return { kind, state: String(detail) };
    return { kind: 'gone' };
  }

  async callback(callId: string, number: string, priority: number): Promise<number | null> {
    const [kind, position] = await this.run<[string, number | string]>(
      'callback',
      [this.keys.routingCall(callId)],
      [callId, number, priority],
    );
    return kind === 'callback' ? Number(position) : null;
  }

  async position(callId: string): Promise<{
    state: string;
    position: number;
    staffed: number;
    available: number;
    averageHandleSeconds: number | null;
  }> {
    const [state, position, staffed, available, aht] = await this.run<
      [string, number, number, number, string]
    >('position', [this.keys.routingCall(callId)], [callId]);
    return {
      state,
      position: Number(position),
      staffed: Number(staffed),
      available: Number(available),
      averageHandleSeconds: aht === '' ? null : Number(aht),
    };
  }

  async call(callId: string): Promise<CallView | null> {
    const h = await this.redis.hgetall(this.keys.routingCall(callId));
    if (!h.state) return null;
    return {
      id: callId,
      state: h.state as CallState,
      queue: h.queue ?? '',
      node: h.node ?? '',
      channelId: h.channel ?? '',
      mode: (h.mode as 'caller' | 'callback') ?? 'caller',
      callbackNumber: h.number ?? '',
      priority: Number(h.priority ?? 0),
      enqueuedAt: Number(h.enq),
      agents: csv(h.agents),
      agent: h.agent || null,
      requirement: h.class ?? '',
      steps: decodePlan(h.plan ?? ''),
    };
  }

  /**
   * The routing library's in-memory match index for this key base (lua/includes/index.lua), for
   * tests and diagnostics; `forget` drops it as loading the library again would (the next
   * decision rebuilds it from the keys). `builds` counts the indexes the library has built.
   */
  async matchIndex(op: 'info' | 'forget' = 'info'): Promise<MatchIndexInfo> {
    const [kind, builds, free, calls, heapKb, repairs] = await this.run<
      [string, number, number, number, number, number]
    >('matchIndex', [], [op]);
    return {
      built: kind === 'built',
      builds,
      freeAgents: free,
      waitingCalls: calls,
      luaHeapKb: heapKb,
      repairs,
    };
  }

  /** For tests: where the match index disagrees with the keys (empty when it agrees). */
  async checkMatchIndex(): Promise<string[]> {
    return this.run<string[]>('matchIndex', [], ['check']);
  }

  /** Housekeeping (see sweep-0.lua): agents made free and calls to dispatch again. */
  async sweep(limit = 100, silenceMs = 10_000): Promise<{ freedAgents: string[]; calls: string[] }> {
    const out = await this.run<string[]>('sweep', [], [this.nodeId, limit, silenceMs]);
    const bar = out.indexOf('|');
    return { freedAgents: [...new Set(out.slice(0, bar))], calls: out.slice(bar + 1) };
  }
}
