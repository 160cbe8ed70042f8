// ARI authentication, as Asterisk's http.conf/ari.conf: HTTP basic auth, or api_key=user:pass
// in the query string (what ari-client uses for the events WebSocket).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface AriUser {
  username: string;
  password: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function credentials(req: IncomingMessage, query: URLSearchParams): { user: string; pass: string } | null {
  const apiKey = query.get('api_key');
  if (apiKey) {
    const colon = apiKey.indexOf(':');
    return colon < 0 ? null : { user: apiKey.slice(0, colon), pass: apiKey.slice(colon + 1) };
  }
  const header = req.headers.authorization;
  const m = header ? /^Basic\s+(.+)$/i.exec(header) : null;
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { user: text.slice(0, colon), pass: text.slice(colon + 1) };
}

export function authenticate(
  req: IncomingMessage,
  query: URLSearchParams,
  users: readonly AriUser[],
): boolean {
  const given = credentials(req, query);
  if (!given) return false;
  return users.some((u) => same(u.username, given.user) && same(u.password, given.pass));
}
