// RoutingTelephony over the controller's ARI connection (ari-client). Agents and callback
// customers are dialled with `originate` into the application with appArgs('routing', ...): the
// leg enters the app (StasisStart, routed here by args[0]) when it answers. Channel ids are
// chosen before the request, so a ChannelDestroyed that beats the HTTP answer is not lost. One
// set of listeners on the client serves every call (entries by channel id, removed when the
// channel goes).
import { randomUUID } from 'node:crypto';
import { appArgs, type AriConnection, type Channel } from '../ari/index.js';
import type { Logger } from '../logger.js';
import {
  ringFailureOf,
  type DialOptions,
  type OutboundLeg,
  type RingFailure,
  type RoutingTelephony,
} from './telephony.js';
import { deferred } from '../deferred.js';

/** args[0] of the channels routing originates. */
export const ROUTING_ROUTE = 'routing';

/** Time past the dial timeout before a leg the server never ended is hung up as unanswered. */
const DIAL_GRACE_MS = 5_000;

type Listener = (...args: never[]) => void;

interface LegEntry {
  answered: boolean;
  settle(result: 'answered' | RingFailure): void;
  gone(cause: number | null): void;
  timer: NodeJS.Timeout;
}

export class AriTelephony implements RoutingTelephony {
  private readonly legs = new Map<string, LegEntry>();
  private readonly watches = new Map<string, Set<(cause: number | null) => void>>();
  private readonly listeners: [string, Listener][] = [];

  constructor(
    private readonly ari: AriConnection,
    private readonly log: Logger,
  ) {
    ari.route(ROUTING_ROUTE, (_event, channel) => this.entered(channel));
    this.listen('ChannelDestroyed', (e: { cause?: number }, ch: Channel) =>
      this.ended(ch.id, e.cause ?? null),
    );
    this.listen('StasisEnd', (_e: unknown, ch: Channel) => this.ended(ch.id, null));
    this.listen('ChannelHangupRequest', (e: { cause?: number }, ch: Channel) =>
      this.hangupRequested(ch.id, e.cause),
    );
  }

  private get client() {
    return this.ari.client;
  }

  private listen(event: string, listener: Listener): void {
    (this.client as unknown as { on(e: string, l: Listener): void }).on(event, listener);
    this.listeners.push([event, listener]);
  }

  close(): void {
    const client = this.client as unknown as { removeListener(e: string, l: Listener): void };
    for (const [event, listener] of this.listeners) client.removeListener(event, listener);
    this.listeners.length = 0;
    for (const [id, leg] of this.legs) {
      clearTimeout(leg.timer);
      leg.settle('unreachable');
      leg.gone(null);
      this.legs.delete(id);
    }
  }

  dial(options: DialOptions): OutboundLeg {
    const channelId = `routing-${randomUUID()}`;
    const result = deferred<'answered' | RingFailure>();
    const gone = deferred<number | null>();
    let settled = false;
    const entry: LegEntry = {
      answered: false,
      settle: (r) => {
        if (settled) return;
        settled = true;
        if (r === 'answered') entry.answered = true;
        clearTimeout(entry.timer);
        result.resolve(r);
      },
      gone: (cause) => gone.resolve(cause),
      timer: setTimeout(
        () => {
          // the server never ended the ring: give up on it ourselves
          entry.settle('no-answer');
          void this.hangup(channelId);
        },
        options.timeoutSeconds * 1000 + DIAL_GRACE_MS,
      ),
    };
    this.legs.set(channelId, entry);
    this.client.channels
      .originate({
        endpoint: options.endpoint,
        app: this.ari.app,
        appArgs: appArgs(ROUTING_ROUTE, ...options.tag),
        callerId: options.callerId,
        timeout: options.timeoutSeconds,
        channelId,
      })
      .catch((err: unknown) => {
        this.log.info({ endpoint: options.endpoint, err: (err as Error).message }, 'dialling failed');
        entry.settle('unreachable');
        this.ended(channelId, null);
      });
    return { channelId, result: result.promise, gone: gone.promise, hangup: () => this.hangup(channelId) };
  }

  private entered(channel: Channel): void {
    const leg = this.legs.get(channel.id);
    if (!leg) {
      this.log.warn({ channel: channel.id }, 'an unknown routing leg entered the application; hanging up');
      void this.hangup(channel.id);
      return;
    }
    leg.settle('answered');
  }

  private hangupRequested(channelId: string, cause: number | undefined): void {
    // a caller's hangup is known here first; legs wait for ChannelDestroyed and its cause
    if (this.watches.has(channelId)) this.ended(channelId, cause ?? null);
  }

  private ended(channelId: string, cause: number | null): void {
    const leg = this.legs.get(channelId);
    if (leg) {
      this.legs.delete(channelId);
      clearTimeout(leg.timer);
      leg.settle(ringFailureOf(cause));
      leg.gone(cause);
    }
    const watchers = this.watches.get(channelId);
    if (watchers) {
      this.watches.delete(channelId);
      for (const w of watchers) w(cause);
    }
  }

  watch(channelId: string): { gone: Promise<number | null>; stop(): void } {
    const gone = deferred<number | null>();
    const watcher = (cause: number | null) => gone.resolve(cause);
    let set = this.watches.get(channelId);
    if (!set) this.watches.set(channelId, (set = new Set()));
    set.add(watcher);
    return {
      gone: gone.promise,
      stop: () => {
        const s = this.watches.get(channelId);
        s?.delete(watcher);
        if (s && !s.size) this.watches.delete(channelId);
      },
    };
  }

  async startMoh(channelId: string, mohClass: string): Promise<void> {
    await this.client.channels.startMoh({ channelId, mohClass });
  }

  async stopMoh(channelId: string): Promise<void> {
    await this.client.channels.stopMoh({ channelId });
  }

  async bridge(name: string, channelIds: string[]): Promise<string> {
    const bridge = await this.client.bridges.create({ type: 'mixing', name });
    try {
      await this.client.bridges.addChannel({ bridgeId: bridge.id, channel: channelIds.join(',') });
    } catch (err) {
      // a party left meanwhile: no bridge left behind
      await this.destroyBridge(bridge.id);
      throw err;
    }
    return bridge.id;
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    // 404 when the server already removed it
    await this.client.bridges.destroy({ bridgeId }).catch(() => undefined);
  }

  async hangup(channelId: string): Promise<void> {
    await this.client.channels.hangup({ channelId }).catch(() => undefined);
  }

  /** Open entries, for leak checks: zero once every call is over. */
  get open(): { legs: number; watches: number } {
    return { legs: this.legs.size, watches: this.watches.size };
  }
}
