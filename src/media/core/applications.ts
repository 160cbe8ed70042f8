// Stasis applications: the events WebSocket of each application, and delivery of events to the
// applications subscribed to the resources an event is about (or to every resource, with
// subscribeAll). The ARI layer attaches sinks; the core publishes plain JSON objects.
import { ariTimestamp } from './time.js';
import type { Subscribers } from './subscriptions.js';

export type EventBody = { type: string } & Record<string, unknown>;

/** Where an application's events go (its WebSocket). */
export interface EventSink {
  send(event: Record<string, unknown>): void;
}

export interface Application {
  readonly name: string;
  sink: EventSink | null;
  subscribeAll: boolean;
  /** Resources subscribed to explicitly (POST /applications/{app}/subscription). */
  readonly explicit: Set<string>;
}

export interface PublishTargets {
  /** Deliver to the apps subscribed to any of these. */
  subscribers?: readonly (Subscribers | undefined)[];
  /** Deliver only to this application (StasisStart/StasisEnd), ignoring subscriptions. */
  only?: string;
  /** subscribeAll applications get it too (default true). */
  all?: boolean;
}

export class Applications {
  private readonly apps = new Map<string, Application>();

  constructor(readonly asteriskId: string) {}

  /** Attaches a WebSocket to applications; a previous socket of the same app is told it was replaced. */
  connect(names: readonly string[], sink: EventSink, subscribeAll: boolean): void {
    for (const name of names) {
      const app = this.apps.get(name) ?? {
        name,
        sink: null,
        subscribeAll: false,
        explicit: new Set<string>(),
      };
      this.apps.set(name, app);
      if (app.sink && app.sink !== sink) {
        app.sink.send({
          type: 'ApplicationReplaced',
          timestamp: ariTimestamp(),
          application: name,
          asterisk_id: this.asteriskId,
        });
      }
      app.sink = sink;
      app.subscribeAll = subscribeAll;
    }
  }

  /** The WebSocket closed: its applications stay known but inactive. */
  disconnect(sink: EventSink): void {
    for (const app of this.apps.values()) if (app.sink === sink) app.sink = null;
  }

  get(name: string): Application | undefined {
    return this.apps.get(name);
  }

  list(): Application[] {
    return [...this.apps.values()];
  }

  isActive(name: string): boolean {
    return Boolean(this.apps.get(name)?.sink);
  }

  publish(body: EventBody, targets: PublishTargets): void {
    const recipients = new Set<string>();
    if (targets.only) recipients.add(targets.only);
    else {
      for (const subs of targets.subscribers ?? [])
        if (subs) for (const app of subs.apps()) recipients.add(app);
      if (targets.all !== false)
        for (const app of this.apps.values()) if (app.subscribeAll) recipients.add(app.name);
    }
    for (const name of recipients) {
      const sink = this.apps.get(name)?.sink;
      if (sink) sink.send({ ...body, asterisk_id: this.asteriskId, application: name });
    }
  }
}

export function eventBody(type: string, fields: Record<string, unknown>): EventBody {
  return { type, timestamp: ariTimestamp(), ...fields };
}
