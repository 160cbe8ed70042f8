// What the IVR (the `enqueue` verb) needs from routing, and what routing promises back.
// Routing owns the caller from enqueue until an outcome: it keeps the place in line, puts the
// caller on music on hold, dials agents over ARI and bridges the caller with the one who answers.
// The IVR plays position / wait-time announcements (it asks `position()`), offers callback, and
// continues the flow on overflow.
//
// CHANGES
//   2026-11-24  first version.
//   2026-11-24  `skills` documented as what it does: it raises the queue's first routing step
//               (no type change). QueuedCall.position() is 1 while an agent is being rung.
//               A call already in line on another node is answered `rejected: closed`.

export interface EnqueueRequest {
  /** The call record id (calls.id). */
  callId: string;
  /** The caller's ARI channel, answered. */
  channelId: string;
  queue: string;
  /**
   * Required skills with the minimum proficiency (1-5) for the first routing step: they raise the
   * queue's step 1 (an added skill, or a higher level, wins); later steps are the queue's.
   */
  skills?: Record<string, number>;
  language?: string;
  /** Higher is served first (e.g. VIP 10, callbacks 5, default 0). */
  priority?: number;
  /** The caller's previous agent, for affinity. */
  lastAgent?: string;
  /** Anything from the IVR the agent and reports should see (issue type, tier, open orders, ...). */
  data?: Record<string, unknown>;
}

export type QueueOutcome =
  | { kind: 'connected'; agent: string; agentChannelId: string; bridgeId: string }
  /** The queue's rules sent the caller elsewhere; the IVR continues there. */
  | { kind: 'overflow'; to: { queue: string } | { voicemail: true } | { callback: true } | { step: string } }
  /** The caller hung up while waiting. */
  | { kind: 'abandoned' }
  /** The caller asked to be called back; their place in line is kept. */
  | { kind: 'callback'; number: string }
  /** Not accepted: queue full, closed, or no agent logged in. */
  | { kind: 'rejected'; reason: 'queue-full' | 'closed' | 'no-agents' | 'unknown-queue' };

export interface QueuePosition {
  /** 1 = next. */
  position: number;
  /** Estimated seconds until an agent answers, or null when there is no basis for an estimate yet. */
  estimatedWaitSeconds: number | null;
}

/** How the queue's callers are kept while they wait (the queue's settings in the contact-center file). */
export interface QueueHold {
  mohClass: string;
  announceEverySeconds: number;
  announcePosition: boolean;
  announceEstimatedWait: boolean;
}

export interface QueuedCall {
  readonly id: string;
  readonly queue: string;
  /** The queue's music on hold and announcement settings; an IVR step may override them. */
  readonly hold: QueueHold;
  position(): Promise<QueuePosition>;
  /** Leave the line but keep the place: Hotline calls `number` back when the turn comes. */
  convertToCallback(number: string): Promise<void>;
  /** Settles once with the outcome. */
  readonly outcome: Promise<QueueOutcome>;
}

export interface CallRouter {
  enqueue(request: EnqueueRequest): Promise<QueuedCall>;
}
