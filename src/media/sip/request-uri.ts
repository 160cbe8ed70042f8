// The Request-URI exactly as the peer wrote it: digest hashes it as text, so a re-serialised
// URI (sip.js normalises case, escaping and parameter order) would not match the response.
import type { IncomingRequestMessage } from 'sip.js/lib/core/index.js';

export function requestUriOf(message: IncomingRequestMessage): string {
  const data = message.data ?? '';
  const line = data.slice(0, data.indexOf('\r\n'));
  return line.split(' ')[1] ?? '';
}
