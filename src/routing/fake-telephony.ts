// A fake of routing's own RoutingTelephony interface for the router's unit tests: it records what
// the router asked for (dials, music on hold, bridges, hang-ups) and lets the test play the far
// ends (an agent answers, does not answer, a caller hangs up). End-to-end tests use the real one.
import type { DialOptions, OutboundLeg, RingFailure, RoutingTelephony } from './telephony.js';
import { deferred } from '../deferred.js';

export interface FakeLeg {
  channelId: string;
  options: DialOptions;
  state: 'ringing' | 'answered' | 'failed' | 'gone';
  answer(): void;
  fail(reason: RingFailure): void;
  /** The far end hangs up (after answering). */
  hangUp(cause?: number): void;
}

export class FakeTelephony implements RoutingTelephony {
  readonly legs: FakeLeg[] = [];
  readonly moh = new Map<string, string | null>();
  readonly bridges = new Map<string, string[]>();
  readonly destroyedBridges: string[] = [];
  readonly hungUp: string[] = [];
  private readonly watchers = new Map<string, ((cause: number | null) => void)[]>();
  private seq = 0;
  /** Makes the next bridge fail, as when a party hangs up while it is being made. */
  failNextBridge = false;

  dial(options: DialOptions): OutboundLeg {
    const channelId = `leg-${++this.seq}`;
    const result = deferred<'answered' | RingFailure>();
    const gone = deferred<number | null>();
    const leg: FakeLeg = {
      channelId,
      options,
      state: 'ringing',
      answer: () => {
        if (leg.state !== 'ringing') return;
        leg.state = 'answered';
        result.resolve('answered');
      },
      fail: (reason) => {
        if (leg.state !== 'ringing') return;
        leg.state = 'failed';
        result.resolve(reason);
        gone.resolve(19);
      },
      hangUp: (cause = 16) => {
        if (leg.state === 'gone' || leg.state === 'failed') return;
        if (leg.state === 'ringing') result.resolve('no-answer');
        leg.state = 'gone';
        gone.resolve(cause);
      },
    };
    this.legs.push(leg);
    return {
      channelId,
      result: result.promise,
      gone: gone.promise,
      hangup: () => this.hangup(channelId),
    };
  }

  /** Legs dialled to this endpoint, in order. */
  legsTo(endpoint: string): FakeLeg[] {
    return this.legs.filter((l) => l.options.endpoint === endpoint);
  }

  ringing(): FakeLeg[] {
    return this.legs.filter((l) => l.state === 'ringing');
  }

  watch(channelId: string): { gone: Promise<number | null>; stop(): void } {
    const gone = deferred<number | null>();
    const list = this.watchers.get(channelId) ?? [];
    list.push(gone.resolve);
    this.watchers.set(channelId, list);
    return { gone: gone.promise, stop: () => undefined };
  }

  /** A caller hangs up. */
  callerHangsUp(channelId: string, cause = 16): void {
    for (const w of this.watchers.get(channelId) ?? []) w(cause);
    this.watchers.delete(channelId);
  }

  startMoh(channelId: string, mohClass: string): Promise<void> {
    this.moh.set(channelId, mohClass);
    return Promise.resolve();
  }

  stopMoh(channelId: string): Promise<void> {
    this.moh.set(channelId, null);
    return Promise.resolve();
  }

  bridge(name: string, channelIds: string[]): Promise<string> {
    if (this.failNextBridge) {
      this.failNextBridge = false;
      return Promise.reject(new Error('Channel not found'));
    }
    const id = `bridge-${name}`;
    this.bridges.set(id, channelIds);
    return Promise.resolve(id);
  }

  destroyBridge(bridgeId: string): Promise<void> {
    this.destroyedBridges.push(bridgeId);
    this.bridges.delete(bridgeId);
    return Promise.resolve();
  }

  hangup(channelId: string): Promise<void> {
    this.hungUp.push(channelId);
    const leg = this.legs.find((l) => l.channelId === channelId);
    if (leg) leg.hangUp();
    else this.callerHangsUp(channelId);
    return Promise.resolve();
  }

  close(): void {}
}
