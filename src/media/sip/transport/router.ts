// Where a message sip.js hands us goes. sip.js's Transport.send(message) has no destination, so
// we read it from the text: responses by the top Via (received/rport, stamped on the way in),
// requests by the pinned flow of their call, else the first Route, else the Request-URI.
import type { TransportKind } from './flow.js';
import { readVia, topViaOf } from '../wire/via.js';

export interface OutgoingSummary {
  isResponse: boolean;
  /** Response status, 0 for requests. */
  status: number;
  /** The request's method, or the CSeq method of a response. */
  method: string;
  branch: string;
  callId: string;
  requestUri: string;
  route: string | undefined;
}

const header = (message: string, pattern: RegExp) => pattern.exec(message)?.[1]?.trim();

/** Reads what routing and retransmission need from a message sip.js built. */
export function summarize(message: string): OutgoingSummary {
  const firstLine = message.slice(0, message.indexOf('\r\n'));
  const isResponse = firstLine.startsWith('SIP/2.0 ');
  const via = readVia(topViaOf(message) ?? '');
  const cseqMethod = header(message, /\r\nCSeq:[ \t]*\d+[ \t]+(\S+)/i) ?? '';
  const route = header(message, /\r\nRoute:[ \t]*<([^>]+)>/i);
  return {
    isResponse,
    status: isResponse ? Number(firstLine.slice(8, 11)) : 0,
    method: isResponse ? cseqMethod : firstLine.slice(0, firstLine.indexOf(' ')),
    branch: via?.branch ?? '',
    callId: header(message, /\r\nCall-ID:[ \t]*([^\r\n]+)/i) ?? '',
    requestUri: isResponse ? '' : (firstLine.split(' ')[1] ?? ''),
    route,
  };
}

export interface UriTarget {
  host: string;
  port: number;
  transport: TransportKind;
}

/**
 * The next hop a SIP URI names (RFC 3263 without DNS SRV/NAPTR: host, port or 5060, the
 * transport parameter, maddr). Null for a URI we cannot send to.
 */
export function targetOfUri(uri: string): UriTarget | null {
  const match = /^sip:(?:[^@]*@)?(\[[0-9A-Fa-f:.]+\]|[^:;?>\s]+)(?::(\d{1,5}))?([^?>\s]*)/i.exec(uri.trim());
  if (!match) return null;
  const params = new Map<string, string>();
  for (const part of (match[3] ?? '').split(';').slice(1)) {
    const [k = '', v = ''] = part.split('=');
    params.set(k.trim().toLowerCase(), v.trim());
  }
  const transport = params.get('transport')?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
  const port = match[2] ? Number(match[2]) : 5060;
  if (port < 1 || port > 65535) return null;
  const host = (params.get('maddr') || match[1]!).replace(/^\[|\]$/g, '');
  return { host, port, transport };
}

export interface ResponseTarget {
  address: string;
  port: number;
  transport: TransportKind;
  /** The connection the request came on, when it came on one. */
  connection?: number;
  /** Where to connect if that connection is gone (RFC 3261 §18.2.2: received, sent-by port). */
  fallbackPort: number;
}

/**
 * Where a response goes: back along the flow its request came on (our marker on the Via), to
 * the received/rport we stamped. A Via we did not stamp is followed as RFC 3261 §18.2.2 says.
 */
export function responseTarget(message: string): ResponseTarget | null {
  const via = readVia(topViaOf(message) ?? '');
  if (!via) return null;
  const address = via.received ?? via.host;
  const fallbackPort = via.port ?? 5060;
  const port = via.rport ?? fallbackPort;
  const marker = /^tcp\.(\d+)$/.exec(via.flow ?? '');
  if (marker) return { address, port, transport: 'tcp', connection: Number(marker[1]), fallbackPort };
  if (via.flow === 'udp') return { address, port, transport: 'udp', fallbackPort };
  return { address, port, transport: via.transport === 'TCP' ? 'tcp' : 'udp', fallbackPort };
}
