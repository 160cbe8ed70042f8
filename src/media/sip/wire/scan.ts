// A lenient first look at a SIP message: start line, unfolded header fields and body, without
// judging their syntax. sip.js's parser either accepts a message whole or returns nothing, with
// no reason; this scan is what lets us still answer a broken request with the right 4xx/5xx
// (RFC 4475) instead of dropping it, and frame a TCP stream.

/** Compact header forms (RFC 3261 §7.3.3 and later RFCs) → the long, lower-case name. */
const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  r: 'refer-to',
  u: 'allow-events',
  b: 'referred-by',
  x: 'session-expires',
  y: 'identity',
};

export interface ScannedHeader {
  /** Lower-case long form. */
  name: string;
  /** The value, unfolded, trimmed. */
  value: string;
}

export interface ScannedMessage {
  startLine: string;
  isResponse: boolean;
  headers: ScannedHeader[];
  /** Everything after the blank line (not cut to Content-Length). */
  body: string;
}

/** The long, lower-case name of a header field name as written. */
export function canonicalHeaderName(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT[lower] ?? lower;
}

/**
 * Splits a message (decoded byte-for-byte as latin1) into start line, header fields and body.
 * Null when there is no CRLF-terminated start line or no blank line ending the headers.
 */
export function scanMessage(text: string): ScannedMessage | null {
  const firstEnd = text.indexOf('\r\n');
  if (firstEnd <= 0) return null;
  let headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) {
    // No blank line: malformed, but a datagram ending in CRLF still shows its headers, and we
    // need them to address the 400.
    if (!text.endsWith('\r\n')) return null;
    headEnd = text.length - 2;
  }
  const headBlock = headEnd <= firstEnd ? '' : text.slice(firstEnd + 2, headEnd);
  const headers: ScannedHeader[] = [];
  for (const line of unfold(headBlock)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: canonicalHeaderName(line.slice(0, colon)), value: line.slice(colon + 1).trim() });
  }
  return {
    startLine: text.slice(0, firstEnd),
    isResponse: /^SIP\/\d+\.\d+ /i.test(text),
    headers,
    body: text.slice(Math.min(headEnd + 4, text.length)),
  };
}

function unfold(block: string): string[] {
  const lines: string[] = [];
  for (const line of block.split('\r\n')) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 0) {
      lines[lines.length - 1] += ' ' + line.trim();
    } else if (line.length > 0) {
      lines.push(line);
    }
  }
  return lines;
}

/** Every value of a header (long lower-case name). */
export function headerValues(message: ScannedMessage, name: string): string[] {
  return message.headers.filter((h) => h.name === name).map((h) => h.value);
}

/** The first value of a header, if present. */
export function headerValue(message: ScannedMessage, name: string): string | undefined {
  return message.headers.find((h) => h.name === name)?.value;
}

/** Splits a header value at commas that are outside quotes and angle brackets. */
export function splitList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}
