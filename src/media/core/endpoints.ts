// Endpoints as ARI shows them (PJSIP/agent1: registered or not, and its channels), and their
// state changes (EndpointStateChange) to applications subscribed to them.
import type { EndpointInfo } from '../sip/contract.js';
import { eventBody } from './applications.js';
import type { MediaCore } from './core.js';
import { CoreError } from './errors.js';
import { Subscribers } from './subscriptions.js';

export interface EndpointSnapshot {
  technology: string;
  resource: string;
  state: string;
  channel_ids: string[];
}

function channelIds(core: MediaCore, resource: string): string[] {
  const prefix = `PJSIP/${resource}-`;
  return [...core.channels.values()]
    .filter((ch) => !ch.hangingUp && ch.name.startsWith(prefix))
    .map((ch) => ch.id);
}

function snapshotOf(core: MediaCore, info: Pick<EndpointInfo, 'name' | 'state'>): EndpointSnapshot {
  return {
    technology: 'PJSIP',
    resource: info.name,
    state: info.state,
    channel_ids: channelIds(core, info.name),
  };
}

/** Configured endpoints and trunks, and the named caller routes of the dialplan (as Asterisk's IP-identified endpoints). */
export function listEndpoints(core: MediaCore): EndpointSnapshot[] {
  const out = core.sip.endpoints().map((e) => snapshotOf(core, e));
  for (const name of core.dialplan.namedRoutes()) {
    if (!out.some((e) => e.resource === name)) out.push(snapshotOf(core, { name, state: 'offline' }));
  }
  return out.sort((a, b) => a.resource.localeCompare(b.resource));
}

export function listEndpointsByTech(core: MediaCore, tech: string): EndpointSnapshot[] {
  if (tech !== 'PJSIP')
    throw new CoreError('ENDPOINT_NOT_FOUND', `No Endpoints found - invalid tech ${tech}`);
  return listEndpoints(core);
}

export function getEndpoint(core: MediaCore, tech: string, resource: string): EndpointSnapshot {
  const found = tech === 'PJSIP' ? listEndpoints(core).find((e) => e.resource === resource) : undefined;
  if (!found) throw new CoreError('ENDPOINT_NOT_FOUND', 'Endpoint not found');
  return found;
}

export function endpointSubscribers(core: MediaCore, key: string): Subscribers {
  let subs = core.endpointSubscribers.get(key);
  if (!subs) {
    subs = new Subscribers();
    core.endpointSubscribers.set(key, subs);
  }
  return subs;
}

export function onEndpointStateChange(core: MediaCore, info: EndpointInfo): void {
  const key = `PJSIP/${info.name}`;
  core.publish(eventBody('EndpointStateChange', { endpoint: snapshotOf(core, info) }), [
    core.endpointSubscribers.get(key),
    core.endpointSubscribers.get('PJSIP'),
  ]);
}
