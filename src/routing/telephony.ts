// What routing needs from the media side, in its own words: ring an agent (or a customer for a
// callback), hold a caller with music, bridge two parties, notice a party hanging up. One
// implementation speaks ARI (ari-telephony.ts); unit tests of the router use a fake of this
// interface. Nothing here knows about Redis or queues.

/** How a ringing leg ended without being answered. */
export type RingFailure = 'no-answer' | 'busy' | 'unreachable';

export interface OutboundLeg {
  /** The leg's channel id (chosen before dialling, so no event is missed). */
  readonly channelId: string;
  /** Settles once: 'answered' when the far end picked up, or why it did not. */
  readonly result: Promise<'answered' | RingFailure>;
  /** Resolves with the Q.850 cause when the leg is gone, answered or not. */
  readonly gone: Promise<number | null>;
  hangup(): Promise<void>;
}

export interface DialOptions {
  /** ARI dial string, e.g. `PJSIP/agent1` or `PJSIP/13800138000@carrier`. */
  endpoint: string;
  /** What the leg carries back into the application (after the route name): call id, party. */
  tag: string[];
  callerId: string;
  timeoutSeconds: number;
}

export interface RoutingTelephony {
  dial(options: DialOptions): OutboundLeg;
  /** Resolves with the Q.850 cause (or null) when this channel (a caller) is gone. */
  watch(channelId: string): { gone: Promise<number | null>; stop(): void };
  startMoh(channelId: string, mohClass: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  /** A mixing bridge holding these channels; resolves with its id. */
  bridge(name: string, channelIds: string[]): Promise<string>;
  destroyBridge(bridgeId: string): Promise<void>;
  hangup(channelId: string): Promise<void>;
  close(): void;
}

/** Q.850 causes of a dial that did not connect, in the domain's words. */
export function ringFailureOf(cause: number | null | undefined): RingFailure {
  if (cause === 17) return 'busy';
  // 18 no user responding, 19 no answer, 16 normal clearing before answer (timeout), 21 rejected
  if (cause === 18 || cause === 19 || cause === 16 || cause === 21 || cause === 31) return 'no-answer';
  return 'unreachable';
}
