// GET /applications, and subscribing an application to channels, bridges and endpoints
// (POST/DELETE /applications/{app}/subscription?eventSource=channel:ID,bridge:ID,endpoint:PJSIP/x).
import type { Application } from './applications.js';
import type { MediaCore } from './core.js';
import { endpointSubscribers, getEndpoint } from './endpoints.js';
import { badRequest, CoreError, unprocessable } from './errors.js';
import type { Subscribers } from './subscriptions.js';

export interface ApplicationSnapshot {
  name: string;
  channel_ids: string[];
  bridge_ids: string[];
  endpoint_ids: string[];
  device_names: string[];
  events_allowed: unknown[];
  events_disallowed: unknown[];
}

function snapshot(core: MediaCore, app: Application): ApplicationSnapshot {
  const channelIds = [...core.channels.values()]
    .filter((c) => !c.hangingUp && c.subscribers.has(app.name))
    .map((c) => c.id);
  const bridgeIds = [...core.bridges.values()].filter((b) => b.subscribers.has(app.name)).map((b) => b.id);
  const endpointIds = [...core.endpointSubscribers.entries()]
    .filter(([, s]) => s.has(app.name))
    .map(([k]) => k);
  return {
    name: app.name,
    channel_ids: channelIds,
    bridge_ids: bridgeIds,
    endpoint_ids: endpointIds,
    device_names: [],
    events_allowed: [],
    events_disallowed: [],
  };
}

function findApp(core: MediaCore, name: string): Application {
  const app = core.apps.get(name);
  if (!app) throw new CoreError('APPLICATION_NOT_FOUND', 'Application not found');
  return app;
}

export function listApplications(core: MediaCore): ApplicationSnapshot[] {
  return core.apps.list().map((a) => snapshot(core, a));
}

export function getApplication(core: MediaCore, name: string): ApplicationSnapshot {
  return snapshot(core, findApp(core, name));
}

function sources(core: MediaCore, eventSource: string[] | undefined): { key: string; subs: Subscribers }[] {
  const list = (eventSource ?? []).map((s) => s.trim()).filter(Boolean);
  if (!list.length) throw badRequest('Missing parameter eventSource');
  return list.map((source) => {
    const colon = source.indexOf(':');
    const scheme = colon > 0 ? source.slice(0, colon) : source;
    const id = colon > 0 ? source.slice(colon + 1) : '';
    switch (scheme) {
      case 'channel': {
        const ch = core.channels.get(id);
        if (!ch || ch.hangingUp) throw unprocessable('Event source does not exist');
        return { key: source, subs: ch.subscribers };
      }
      case 'bridge': {
        const br = core.bridges.get(id);
        if (!br || br.destroyed) throw unprocessable('Event source does not exist');
        return { key: source, subs: br.subscribers };
      }
      case 'endpoint': {
        const [tech, resource] = id.split('/');
        if (!tech) throw unprocessable('Event source does not exist');
        if (resource) {
          try {
            getEndpoint(core, tech, resource);
          } catch {
            throw unprocessable('Event source does not exist');
          }
          return { key: source, subs: endpointSubscribers(core, `${tech}/${resource}`) };
        }
        if (tech !== 'PJSIP') throw unprocessable('Event source does not exist');
        return { key: source, subs: endpointSubscribers(core, tech) };
      }
      default:
        throw badRequest(`Invalid event source URI scheme '${scheme}'`);
    }
  });
}

export function subscribe(
  core: MediaCore,
  name: string,
  eventSource: string[] | undefined,
): ApplicationSnapshot {
  const app = findApp(core, name);
  for (const { key, subs } of sources(core, eventSource)) {
    if (!app.explicit.has(key)) {
      app.explicit.add(key);
      subs.add(app.name);
    }
  }
  return snapshot(core, app);
}

export function unsubscribe(
  core: MediaCore,
  name: string,
  eventSource: string[] | undefined,
): ApplicationSnapshot {
  const app = findApp(core, name);
  const found = sources(core, eventSource);
  for (const { key } of found) {
    if (!app.explicit.has(key)) throw new CoreError('CONFLICT', 'Application not subscribed to event source');
  }
  for (const { key, subs } of found) {
    app.explicit.delete(key);
    subs.remove(app.name);
  }
  return snapshot(core, app);
}
