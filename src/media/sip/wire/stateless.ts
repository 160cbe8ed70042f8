// Responses to requests sip.js never saw (malformed, or refused by our checks), built by hand
// from the lenient scan: the sip.js response builder needs a parsed message.
import { randomBytes } from 'node:crypto';
import { headerValue, headerValues, type ScannedMessage } from './scan.js';
import type { Refusal } from './validate.js';
import { stampVia } from './via.js';

export const SERVER_HEADER = 'Server: Hotline';

/** A final response to `message`, echoing what it has of Via, From, To, Call-ID and CSeq. */
export function statelessResponse(
  message: ScannedMessage,
  refusal: Refusal,
  source: { address: string; port: number },
): string {
  const lines = [`SIP/2.0 ${refusal.status} ${refusal.reason}`];
  headerValues(message, 'via').forEach((via, i) => {
    lines.push(`Via: ${i === 0 ? stampVia(via, source.address, source.port) : via}`);
  });
  const from = headerValue(message, 'from');
  if (from !== undefined) lines.push(`From: ${from}`);
  const to = headerValue(message, 'to');
  if (to !== undefined) {
    const tagged = /;\s*tag\s*=/i.test(to) ? to : `${to};tag=${randomBytes(6).toString('hex')}`;
    lines.push(`To: ${tagged}`);
  }
  const callId = headerValue(message, 'call-id');
  if (callId !== undefined) lines.push(`Call-ID: ${callId}`);
  const cseq = headerValue(message, 'cseq');
  if (cseq !== undefined) lines.push(`CSeq: ${cseq}`);
  lines.push(...(refusal.headers ?? []), SERVER_HEADER, 'Content-Length: 0');
  return lines.join('\r\n') + '\r\n\r\n';
}
