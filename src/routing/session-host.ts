// What a queue session needs from the router that owns it: the shared store, the media side, the
// clock, and the router's reactions to an agent coming free, a call connecting or ending.
import type { HotlineEventMap } from '../events.js';
import type { Logger } from '../logger.js';
import type { RoutingStore } from './store.js';
import type { RoutingTelephony } from './telephony.js';

export interface SessionHost {
  readonly store: RoutingStore;
  readonly telephony: RoutingTelephony;
  readonly log: Logger;
  now(): number;
  /** Runs background work of a call, logging (not throwing) its failure. */
  run(label: string, work: () => Promise<unknown>): void;
  /** An agent may be free for another call: look for one (agent-driven decision). */
  agentFree(agentId: string): void;
  connected(event: HotlineEventMap['call.connected']): void;
  /** The conversation is over: the agent's wrap-up (the store), the call record. */
  callEnded(
    callId: string,
    agentId: string,
    wrapUpSeconds: number,
    outcome: 'completed' | 'failed',
  ): Promise<void>;
  /** The call's session has nothing left to do on this node. */
  forget(callId: string): void;
  callerId(queue: string): string;
  callbackEndpoint(number: string): string;
}
