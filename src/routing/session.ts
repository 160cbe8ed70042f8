// One caller in a queue, on the node that owns the call (it holds the caller's channel): music on
// hold, the escalation timers, ringing the agents routing picked, bridging with the one who
// answers, and the outcome the IVR waits for. Every decision about who gets whom is the store's
// (Redis, shared by all nodes); this object only carries it out on the media side.
//
//   waiting ──► offering ──► connected ──► ended
//     ▲            │    (no answer: back to waiting)
//     └────────────┘
//   waiting/offering ──► ended (abandoned, overflowed)
//   waiting ──► callback (no caller on the line; rings the agent, then the customer)
import type { QueueHold, QueueOutcome, QueuePosition, QueuedCall } from './contract.js';
import { holdOf, type QueueSettings } from './model.js';
import type { CallPlan } from './requirement.js';
import type { SessionHost } from './session-host.js';
import type { OutboundLeg, RingFailure } from './telephony.js';

export enum SessionState {
  Waiting = 'waiting',
  Offering = 'offering',
  Connected = 'connected',
  Callback = 'callback',
  Ended = 'ended',
}

/** Time past the ring time before the store's reservation of a ringing agent expires. */
const RING_GRACE_MS = 10_000;

export interface SessionInit {
  callId: string;
  /** The caller's channel; '' for a callback adopted from a node that went away. */
  channelId: string;
  queue: QueueSettings;
  plan: CallPlan;
  enqueuedAt: number;
  language?: string;
  /** A callback waiting for its turn (no caller on the line). */
  callbackNumber?: string;
}

export class QueueSession implements QueuedCall {
  readonly id: string;
  readonly queue: string;
  readonly outcome: Promise<QueueOutcome>;
  state: SessionState = SessionState.Waiting;
  private settle!: (outcome: QueueOutcome) => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly legs = new Map<string, OutboundLeg>();
  private callerWatch: { gone: Promise<number | null>; stop(): void } | null = null;
  private overflowDue = false;
  private callbackNumber: string | null;

  constructor(
    private readonly host: SessionHost,
    private readonly init: SessionInit,
  ) {
    this.id = init.callId;
    this.queue = init.queue.name;
    this.callbackNumber = init.callbackNumber ?? null;
    if (this.callbackNumber) this.state = SessionState.Callback;
    this.outcome = new Promise<QueueOutcome>((resolve) => (this.settle = resolve));
  }

  private get settings(): QueueSettings {
    return this.init.queue;
  }

  get hold(): QueueHold {
    return holdOf(this.settings);
  }

  private later(ms: number, fn: () => Promise<void>): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.host.run(`timer of call ${this.id}`, fn);
      },
      Math.max(0, ms),
    );
    this.timers.add(timer);
  }

  /** The caller is in line (the store accepted the call): hold music, timers, first try. */
  start(): void {
    if (this.state === SessionState.Callback) {
      this.host.run(`dispatch ${this.id}`, () => this.dispatch());
      return;
    }
    this.callerWatch = this.host.telephony.watch(this.init.channelId);
    void this.callerWatch.gone.then((cause) =>
      this.host.run(`caller of ${this.id} left`, () => this.callerGone(cause)),
    );
    this.host.run(`music on hold for ${this.id}`, () =>
      this.host.telephony.startMoh(this.init.channelId, this.settings.mohClass),
    );
    const now = this.host.now();
    const changes = new Set(this.init.plan.steps.slice(0, -1).map((s) => s.until));
    if (this.init.plan.affinityAgent) changes.add(this.init.plan.affinityUntil);
    for (const at of changes) if (at > now) this.later(at - now, () => this.dispatch());
    const overflowAt = this.init.plan.steps[this.init.plan.steps.length - 1]!.until;
    this.later(overflowAt - now, () => this.overflow());
    this.host.run(`dispatch ${this.id}`, () => this.dispatch());
  }

  async position(): Promise<QueuePosition> {
    const p = await this.host.store.position(this.id);
    if (p.state !== 'waiting') return { position: 1, estimatedWaitSeconds: p.state === 'offered' ? 0 : null };
    if (p.averageHandleSeconds === null) return { position: p.position, estimatedWaitSeconds: null };
    // callers ahead beyond the free agents, each taking an average handle time, spread over the
    // agents logged in
    const ahead = Math.max(0, p.position - p.available);
    const seconds = Math.ceil((ahead * p.averageHandleSeconds) / Math.max(1, p.staffed));
    return { position: p.position, estimatedWaitSeconds: seconds };
  }

  /** A call-driven decision for this call (at arrival, at each step change, after a miss). */
  async dispatch(): Promise<void> {
    if (this.state !== SessionState.Waiting && this.state !== SessionState.Callback) return;
    const d = await this.host.store.dispatchCall(this.id);
    if (d.kind === 'offered') await this.offer(d.agents);
  }

  /** Routing reserved these agents for this call: ring them. */
  async offer(agents: string[]): Promise<void> {
    if (this.state !== SessionState.Waiting && this.state !== SessionState.Callback) {
      // the caller left meanwhile: give the agents back
      for (const a of agents)
        await this.host.store.noAnswer(this.id, a, 'expired', this.settings.maxMissed, false);
      for (const a of agents) this.host.agentFree(a);
      return;
    }
    this.state = SessionState.Offering;
    await Promise.all(agents.map((a) => this.ring(a)));
  }

  private async ring(agentId: string): Promise<void> {
    const agent = await this.host.store.agent(agentId);
    if (!agent) return this.missed(agentId, 'unreachable');
    const leg = this.host.telephony.dial({
      endpoint: agent.endpoint,
      tag: [this.id, agentId],
      callerId: this.host.callerId(this.init.queue.name),
      timeoutSeconds: this.settings.ringSeconds,
    });
    this.legs.set(agentId, leg);
    await this.host.store.ringing(
      this.id,
      agentId,
      this.host.now() + this.settings.ringSeconds * 1000 + RING_GRACE_MS,
    );
    const result = await leg.result;
    if (result === 'answered') await this.answered(agentId, leg);
    else await this.missed(agentId, result);
  }

  private async missed(agentId: string, reason: RingFailure): Promise<void> {
    this.legs.delete(agentId);
    const r = await this.host.store.noAnswer(this.id, agentId, reason, this.settings.maxMissed);
    this.host.agentFree(agentId);
    if (r !== 'requeued' || this.state !== SessionState.Offering) return;
    this.state = this.callbackNumber ? SessionState.Callback : SessionState.Waiting;
    if (this.overflowDue && !this.callbackNumber) return this.overflow();
    await this.dispatch();
  }

  private async answered(agentId: string, leg: OutboundLeg): Promise<void> {
    const r = await this.host.store.answered(this.id, agentId);
    if (r.kind === 'gone') {
      this.legs.delete(agentId);
      await leg.hangup();
      return;
    }
    for (const other of r.released) {
      await this.legs.get(other)?.hangup();
      this.legs.delete(other);
      this.host.agentFree(other);
    }
    this.state = SessionState.Connected;
    this.clearTimers();
    if (this.callbackNumber) return this.callCustomer(agentId, leg);
    try {
      await this.host.telephony.stopMoh(this.init.channelId).catch(() => undefined);
      const bridgeId = await this.talk(agentId, leg, this.init.channelId, this.callerWatch!.gone);
      this.settle({ kind: 'connected', agent: agentId, agentChannelId: leg.channelId, bridgeId });
    } catch (err) {
      // the caller left just as the agent answered: the bridge could not be made
      this.host.log.info({ call: this.id, err: (err as Error).message }, 'could not bridge caller and agent');
      await this.hangUp(agentId, leg, this.init.channelId, 'party');
      this.settle({ kind: 'abandoned' });
    }
  }

  private bridgeId: string | null = null;

  /** Bridges the two parties and waits (in the background) for either to hang up. */
  private async talk(
    agentId: string,
    agentLeg: OutboundLeg,
    partyChannelId: string,
    partyGone: Promise<number | null>,
  ): Promise<string> {
    const bridgeId = await this.host.telephony.bridge(`queue-${this.queue}-${this.id}`, [
      partyChannelId,
      agentLeg.channelId,
    ]);
    this.bridgeId = bridgeId;
    this.host.connected({
      callId: this.id,
      callerChannelId: partyChannelId,
      agentChannelId: agentLeg.channelId,
      agent: agentId,
      queue: this.queue,
      bridgeId,
      ...(this.init.language ? { language: this.init.language } : {}),
    });
    void Promise.race([
      partyGone.then(() => 'party' as const),
      agentLeg.gone.then(() => 'agent' as const),
    ]).then((who) =>
      this.host.run(`end of call ${this.id}`, () => this.hangUp(agentId, agentLeg, partyChannelId, who)),
    );
    return bridgeId;
  }

  private async hangUp(
    agentId: string,
    agentLeg: OutboundLeg,
    partyChannelId: string,
    who: 'party' | 'agent',
  ) {
    if (this.state === SessionState.Ended) return;
    this.state = SessionState.Ended;
    this.legs.delete(agentId);
    this.callerWatch?.stop();
    await (who === 'party' ? agentLeg.hangup() : this.host.telephony.hangup(partyChannelId));
    if (this.bridgeId) await this.host.telephony.destroyBridge(this.bridgeId);
    await this.host.callEnded(this.id, agentId, this.settings.wrapUpSeconds, 'completed');
    this.host.forget(this.id);
  }

  /** Callback: the agent answered first; now the customer's phone. */
  private async callCustomer(agentId: string, agentLeg: OutboundLeg): Promise<void> {
    const customer = this.host.telephony.dial({
      endpoint: this.host.callbackEndpoint(this.callbackNumber!),
      tag: [this.id, 'customer'],
      callerId: this.host.callerId(this.queue),
      timeoutSeconds: Math.max(20, this.settings.ringSeconds),
    });
    const result = await Promise.race([customer.result, agentLeg.gone.then(() => 'agent-left' as const)]);
    if (result !== 'answered') {
      this.state = SessionState.Ended;
      await customer.hangup();
      await agentLeg.hangup();
      await this.host.callEnded(this.id, agentId, 0, 'failed');
      this.host.forget(this.id);
      return;
    }
    await this.talk(agentId, agentLeg, customer.channelId, customer.gone);
  }

  /** The caller hung up (or the IVR says the call ended) before talking to an agent. */
  async callerGone(_cause: number | null): Promise<void> {
    if (this.state !== SessionState.Waiting && this.state !== SessionState.Offering) return;
    this.state = SessionState.Ended;
    this.clearTimers();
    const r = await this.host.store.abandon(this.id);
    for (const [agentId, leg] of this.legs) {
      await leg.hangup();
      this.host.agentFree(agentId);
    }
    this.legs.clear();
    if (r.kind === 'abandoned') for (const a of r.released) this.host.agentFree(a);
    this.settle({ kind: 'abandoned' });
    this.host.forget(this.id);
  }

  /** The steps ran out (max wait): the queue's overflow target, once no agent is ringing. */
  async overflow(): Promise<void> {
    if (this.state === SessionState.Offering) {
      this.overflowDue = true;
      return;
    }
    if (this.state !== SessionState.Waiting) return;
    const r = await this.host.store.overflow(this.id, this.settings.overflow);
    if (r === 'offered') {
      this.overflowDue = true;
      return;
    }
    this.state = SessionState.Ended;
    this.clearTimers();
    this.callerWatch?.stop();
    this.settle({ kind: 'overflow', to: this.settings.overflow });
    this.host.forget(this.id);
  }

  /** The caller asked to be called back: keep the place in line, let them go. */
  async convertToCallback(number: string): Promise<void> {
    if (this.state === SessionState.Offering) {
      // an agent is ringing for a caller about to hang up: give the agents back first
      for (const [agentId, leg] of this.legs) {
        await leg.hangup();
        await this.host.store.noAnswer(this.id, agentId, 'no-answer', this.settings.maxMissed, false);
        this.host.agentFree(agentId);
      }
      this.legs.clear();
      this.state = SessionState.Waiting;
    }
    if (this.state !== SessionState.Waiting) return;
    const position = await this.host.store.callback(this.id, number, this.settings.priorities.callback);
    if (position === null) return;
    this.callbackNumber = number;
    this.state = SessionState.Callback;
    this.clearTimers();
    this.callerWatch?.stop();
    this.settle({ kind: 'callback', number });
  }

  /** The node is stopping: callers in line are let go (their channels go with the node). */
  async shutdown(): Promise<void> {
    this.clearTimers();
    if (this.state === SessionState.Waiting || this.state === SessionState.Offering) {
      await this.callerGone(null);
    }
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
