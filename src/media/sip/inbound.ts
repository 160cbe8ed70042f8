// An INVITE outside a dialog becomes an InboundCall, or is refused here before the core ever
// sees it: a caller claiming to be an endpoint must prove it (407), the offer must be SDP we can
// answer (488), and there must be a Contact to build a dialog on.
import type { IncomingInviteRequest, IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import { NameAddrHeader } from 'sip.js/lib/core/index.js';
import type { Codec, SipParty } from './contract.js';
import type { SipEndpointConfig, SipTrunkConfig } from './config.js';
import type { DigestAuthenticator } from './digest.js';
import { requestUriOf } from './request-uri.js';
import { answerOffer } from './sdp.js';
import type { Flow } from './transport/flow.js';
import type { InboundDetails } from './calls/inbound-call.js';

export interface InviteChecks {
  auth: DigestAuthenticator;
  endpoints: ReadonlyMap<string, SipEndpointConfig>;
  trunkFor(address: string): SipTrunkConfig | undefined;
  codecs: readonly Codec[];
}

export type InviteDecision =
  | { ok: true; details: InboundDetails; codecs: readonly Codec[] }
  | { ok: false; status: number; reason?: string; headers?: string[] };

/** Header text is latin1 bytes on the wire; display names are UTF-8 (RFC 3261 §25.1). */
export function fromWire(text: string): string {
  return Buffer.from(text, 'latin1').toString('utf8');
}

function partyOf(header: NameAddrHeader | undefined): SipParty {
  if (!header) return { name: '', number: '', uri: '' };
  return {
    name: fromWire(header.displayName ?? ''),
    number: fromWire(header.uri.user ?? ''),
    uri: fromWire(header.uri.toString()),
  };
}

/** Is the caller who its From says? Only asked of callers that claim a configured endpoint. */
function checkCaller(
  message: IncomingRequestMessage,
  checks: InviteChecks,
): InviteDecision | { endpoint: string } {
  const claimed = message.from?.uri.user ?? '';
  const verdict = checks.auth.verify(
    message.getHeaders('proxy-authorization'),
    'INVITE',
    (name) => checks.endpoints.get(name)?.password,
  );
  if (verdict.ok) {
    if (verdict.username !== claimed)
      return { ok: false, status: 403, reason: 'Forbidden: From is another endpoint' };
    return { endpoint: claimed };
  }
  switch (verdict.reason) {
    case 'stale':
      return { ok: false, status: 407, headers: [`Proxy-Authenticate: ${checks.auth.challenge(true)}`] };
    case 'malformed':
      return { ok: false, status: 400, reason: 'Bad Proxy-Authorization header' };
    case 'wrong-password':
    case 'unknown-user':
    case 'replay':
      return { ok: false, status: 403 };
    default:
      return { ok: false, status: 407, headers: [`Proxy-Authenticate: ${checks.auth.challenge()}`] };
  }
}

export function decideInvite(
  request: IncomingInviteRequest,
  source: Flow,
  checks: InviteChecks,
): InviteDecision {
  const message = request.message;
  const trunk = checks.trunkFor(source.address);
  let endpoint: string | undefined;
  const claimed = message.from?.uri.user;
  // Trunks are trusted by address; a caller naming a configured endpoint must prove it, so
  // InboundSipCall.endpoint can be believed.
  if (!trunk && claimed && checks.endpoints.has(claimed)) {
    const caller = checkCaller(message, checks);
    if ('ok' in caller) return caller;
    endpoint = caller.endpoint;
  }
  if (!(message.parseHeader('contact') instanceof NameAddrHeader))
    return { ok: false, status: 400, reason: 'Bad Contact' };
  const offer = message.body;
  if (!offer) {
    // A late offer (SDP in our 200, answer in the ACK) is not supported: the core needs the
    // codec before it answers.
    return {
      ok: false,
      status: 488,
      headers: ['Warning: 399 hotline "an SDP offer is required in the INVITE"'],
    };
  }
  const codecs = (endpoint ? checks.endpoints.get(endpoint)?.codecs : trunk?.codecs) ?? checks.codecs;
  const result = answerOffer(offer, codecs);
  if (!result.ok) return { ok: false, status: 488, headers: [`Warning: 399 hotline "${result.reason}"`] };
  return {
    ok: true,
    codecs,
    details: {
      from: partyOf(message.from),
      to: partyOf(message.to),
      dialled: fromWire(message.ruri?.user ?? ''),
      requestUri: requestUriOf(message),
      source: { address: source.address, port: source.port, transport: source.transport },
      trunk: trunk?.name,
      endpoint,
      media: result.media,
      offer,
      offerIndex: result.index,
    },
  };
}
