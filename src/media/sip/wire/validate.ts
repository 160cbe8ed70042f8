// The checks RFC 3261 §8.2 (and RFC 4475's torture cases) ask of a UAS before it acts on a
// request, on the lenient scan: sip.js does none of them (it would 404 anything not addressed to
// its one user, and its grammar just fails on the rest without saying why).
import { headerValue, headerValues, splitList, type ScannedMessage } from './scan.js';

/** Methods Hotline implements. */
export const ALLOWED_METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'REGISTER'] as const;
export const ALLOW_HEADER = `Allow: ${ALLOWED_METHODS.join(', ')}`;
/** Methods we know but do not do: 405 (RFC 3261 §8.2.1); anything else is 501. */
const KNOWN_METHODS = new Set(['PRACK', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'MESSAGE', 'REFER', 'PUBLISH']);
/** Body types we read, per method. */
export const ACCEPTED_BODIES: Record<string, readonly string[]> = {
  INVITE: ['application/sdp'],
  ACK: ['application/sdp'],
  INFO: ['application/dtmf-relay', 'application/dtmf'],
};
export const ACCEPT_HEADER = 'Accept: application/sdp, application/dtmf-relay, application/dtmf';

const SINGLE_VALUED = [
  'from',
  'to',
  'call-id',
  'cseq',
  'max-forwards',
  'content-length',
  'content-type',
  'expires',
];
const REQUIRED = ['via', 'from', 'to', 'call-id', 'cseq'];
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const MAX_CSEQ = 2 ** 31 - 1;

export interface Refusal {
  status: number;
  reason: string;
  headers?: string[];
}

export interface RequestLine {
  method: string;
  uri: string;
  version: string;
}

/**
 * The request line, strictly: one SP between the three parts, nothing after the version
 * (RFC 4475 lwsstart, trws, lwsruri, ltgtruri). Null when it is not even shaped like one.
 */
export function parseRequestLine(line: string): RequestLine | Refusal | null {
  if (!/\sSIP\/\d+\.\d+\s*$/i.test(line)) return null;
  const match = /^(\S+) (\S+) (SIP\/\d+\.\d+)$/i.exec(line);
  if (!match || !TOKEN.test(match[1]!)) return { status: 400, reason: 'Malformed Request-Line' };
  return { method: match[1]!, uri: match[2]!, version: match[3]! };
}

function isRefusal(value: RequestLine | Refusal | null): value is Refusal {
  return value !== null && 'status' in value;
}

function checkHeaders(message: ScannedMessage): Refusal | null {
  for (const name of REQUIRED) {
    if (!headerValue(message, name)) return { status: 400, reason: `Missing ${name} header field` };
  }
  for (const name of SINGLE_VALUED) {
    if (headerValues(message, name).length > 1)
      return { status: 400, reason: `Repeated ${name} header field` };
  }
  return null;
}

function checkMethod(method: string): Refusal | null {
  if ((ALLOWED_METHODS as readonly string[]).includes(method)) return null;
  if (KNOWN_METHODS.has(method))
    return { status: 405, reason: 'Method Not Allowed', headers: [ALLOW_HEADER] };
  return { status: 501, reason: 'Not Implemented', headers: [ALLOW_HEADER] };
}

function checkCSeq(message: ScannedMessage, method: string): Refusal | null {
  const match = /^(\d{1,10})\s+(\S+)$/.exec(headerValue(message, 'cseq') ?? '');
  if (!match || Number(match[1]) > MAX_CSEQ) return { status: 400, reason: 'Bad CSeq' };
  if (match[2] !== method) return { status: 400, reason: 'CSeq method does not match the request' };
  return null;
}

function checkRequestUri(uri: string): Refusal | null {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) return { status: 400, reason: 'Malformed Request-URI' };
  if (scheme !== 'sip') return { status: 416, reason: 'Unsupported URI Scheme' };
  // Header fields (`?name=value`) may not appear in a Request-URI (RFC 3261 §19.1.5). The
  // user part may hold a literal '?', so look only after the last '@'.
  if (uri.slice(uri.lastIndexOf('@') + 1).includes('?')) {
    return { status: 400, reason: 'Header fields in the Request-URI' };
  }
  return null;
}

function checkNumbers(message: ScannedMessage, datagram: boolean): Refusal | null {
  const maxForwards = headerValue(message, 'max-forwards');
  if (maxForwards !== undefined && !/^\d{1,10}$/.test(maxForwards))
    return { status: 400, reason: 'Bad Max-Forwards' };
  const length = headerValue(message, 'content-length');
  if (length !== undefined && !/^\d{1,10}$/.test(length))
    return { status: 400, reason: 'Bad Content-Length' };
  // RFC 3261 §18.3: over UDP a Content-Length beyond the datagram's end is an error.
  if (datagram && length !== undefined && Number(length) > message.body.length) {
    return { status: 400, reason: 'Content-Length larger than the message' };
  }
  return null;
}

function checkRequire(message: ScannedMessage, method: string): Refusal | null {
  if (method === 'ACK' || method === 'CANCEL') return null;
  const tags = headerValues(message, 'require').flatMap(splitList);
  if (tags.length === 0) return null;
  return { status: 420, reason: 'Bad Extension', headers: [`Unsupported: ${tags.join(', ')}`] };
}

/** The body as Content-Length delimits it (the rest of a datagram is ignored, RFC 3261 §18.3). */
export function bodyOf(message: ScannedMessage): string {
  const length = headerValue(message, 'content-length');
  return length === undefined ? message.body : message.body.slice(0, Number(length));
}

function mediaType(value: string): string {
  return value.split(';')[0]!.trim().toLowerCase();
}

function checkBody(message: ScannedMessage, method: string): Refusal | null {
  const accepted = ACCEPTED_BODIES[method];
  if (!accepted || bodyOf(message).length === 0) return null;
  const encoding = headerValue(message, 'content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') {
    return {
      status: 415,
      reason: 'Unsupported Media Type',
      headers: ['Accept-Encoding: identity', ACCEPT_HEADER],
    };
  }
  const type = headerValue(message, 'content-type');
  if (!type) return { status: 400, reason: 'Body without Content-Type' };
  if (!accepted.includes(mediaType(type))) {
    return { status: 415, reason: 'Unsupported Media Type', headers: [`Accept: ${accepted.join(', ')}`] };
  }
  return null;
}

/** An Accept that rules out SDP leaves an INVITE nothing we could answer with (RFC 4475 sdp01). */
function checkAccept(message: ScannedMessage, method: string): Refusal | null {
  if (method !== 'INVITE') return null;
  const values = headerValues(message, 'accept');
  if (values.length === 0) return null;
  const ranges = values.flatMap(splitList);
  const takesSdp = ranges.some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    return type === 'application/sdp' || type === 'application/*' || type === '*/*';
  });
  return takesSdp ? null : { status: 406, reason: 'Not Acceptable', headers: ['Accept: application/sdp'] };
}

export type RequestCheck = { ok: true; line: RequestLine } | { ok: false; refusal: Refusal | null };

/**
 * Everything a request must pass before sip.js sees it. `refusal: null` means the message is
 * not a request at all and is dropped without an answer.
 */
export function checkRequest(message: ScannedMessage, datagram: boolean): RequestCheck {
  const line = parseRequestLine(message.startLine);
  if (line === null) return { ok: false, refusal: null };
  if (isRefusal(line)) return { ok: false, refusal: line };
  if (line.version.toUpperCase() !== 'SIP/2.0') {
    return { ok: false, refusal: { status: 505, reason: 'Version Not Supported' } };
  }
  const refusal =
    checkHeaders(message) ??
    checkMethod(line.method) ??
    checkCSeq(message, line.method) ??
    checkRequestUri(line.uri) ??
    checkNumbers(message, datagram) ??
    checkRequire(message, line.method) ??
    checkBody(message, line.method) ??
    checkAccept(message, line.method);
  return refusal ? { ok: false, refusal } : { ok: true, line };
}

/** Whether a response is sane enough to hand to the transaction layer (RFC 4475 bigcode, scalarlg). */
export function checkResponse(message: ScannedMessage): boolean {
  const status = /^SIP\/2\.0 (\d{3})(?: |$)/.exec(message.startLine);
  if (!status || Number(status[1]) < 100 || Number(status[1]) > 699) return false;
  const cseq = /^(\d{1,10})\s+\S+$/.exec(headerValue(message, 'cseq') ?? '');
  if (!cseq || Number(cseq[1]) > MAX_CSEQ) return false;
  return REQUIRED.every((name) => headerValue(message, name) !== undefined);
}
