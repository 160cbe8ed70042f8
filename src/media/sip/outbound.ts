// Where an outbound call goes and in whose name. Only configured endpoints (at their registered
// contact) and configured trunks: never an arbitrary URI, so Hotline cannot be used as a relay.
import { Grammar, URI } from 'sip.js/lib/core/index.js';
import { SipError, type Codec, type InviteRequest, type SipTransport } from './contract.js';
import type { SipTrunkConfig } from './config.js';
import type { Registrar } from './registrar.js';
import type { Flow } from './transport/flow.js';
import type { Trunks } from './trunks.js';

export interface InvitePlan {
  requestUri: URI;
  to: URI;
  from: URI;
  fromName: string;
  transport: SipTransport;
  codecs: readonly Codec[];
  /** Endpoint calls follow the registration's flow whatever the contact says. */
  flow?: Flow;
  trunk?: SipTrunkConfig;
}

export interface PlanContext {
  registrar: Registrar;
  trunks: Trunks;
  publicAddress: string;
  codecs: readonly Codec[];
  endpointCodecs(name: string): readonly Codec[] | undefined;
}

/** Our text as latin1 byte-string, the form every header sip.js handles is in. */
export function toWire(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

const USER_PART = /^[A-Za-z0-9+*#._~!$&'()=,;?/-]{1,64}$/;

export function planInvite(request: InviteRequest, context: PlanContext): InvitePlan {
  const fromNumber = request.from.number || 'anonymous';
  if (!USER_PART.test(fromNumber))
    throw new TypeError(`caller number "${fromNumber}" is not a valid SIP user part`);
  const target = request.target;
  if ('endpoint' in target) {
    const info = context.registrar.info(target.endpoint);
    if (!info)
      throw new SipError(
        'ENDPOINT_NOT_FOUND',
        `endpoint "${target.endpoint}" is not configured in the SIP configuration file`,
      );
    const binding = context.registrar.contactsOf(target.endpoint)[0];
    if (!binding) throw new SipError('ENDPOINT_OFFLINE', `endpoint "${target.endpoint}" is not registered`);
    const requestUri = Grammar.URIParse(binding.uri);
    if (!requestUri)
      throw new SipError(
        'ENDPOINT_OFFLINE',
        `endpoint "${target.endpoint}" registered an unusable contact ${binding.uri}`,
      );
    return {
      requestUri,
      to: new URI('sip', target.endpoint, context.publicAddress),
      from: new URI('sip', fromNumber, context.publicAddress),
      fromName: toWire(request.from.name),
      transport: binding.flow.transport,
      codecs: request.codecs ?? context.endpointCodecs(target.endpoint) ?? context.codecs,
      flow: binding.flow,
    };
  }
  const trunk = context.trunks.get(target.trunk);
  if (!trunk)
    throw new SipError(
      'TRUNK_NOT_FOUND',
      `trunk "${target.trunk}" is not configured in the SIP configuration file`,
    );
  if (!USER_PART.test(target.number))
    throw new TypeError(`number "${target.number}" is not a valid SIP user part`);
  const params = trunk.transport === 'tcp' ? { transport: 'tcp' } : undefined;
  return {
    requestUri: new URI('sip', target.number, trunk.host, trunk.port, params),
    to: new URI('sip', target.number, trunk.host),
    from: new URI('sip', fromNumber, trunk.fromDomain ?? context.publicAddress),
    fromName: toWire(request.from.name),
    transport: trunk.transport,
    codecs: request.codecs ?? trunk.codecs ?? context.codecs,
    trunk,
  };
}
