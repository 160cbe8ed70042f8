// Server side of HTTP digest authentication for SIP (RFC 3261 §22, RFC 2617, RFC 7616 with MD5
// and qop=auth). sip.js only has the client side (answering a challenge); a registrar needs the
// other half: issuing nonces, checking responses, refusing replays and saying when a nonce is stale.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface DigestCredentials {
  scheme: string;
  params: Map<string, string>;
}

/** Parses `Digest username="a", nc=00000001, ...`; null when it is not a well-formed credentials value. */
export function parseCredentials(value: string): DigestCredentials | null {
  const match = /^\s*([A-Za-z][A-Za-z0-9-]*)\s+/.exec(value);
  if (!match) return null;
  const params = new Map<string, string>();
  // auth-param = token "=" ( token / quoted-string ), separated by commas
  const param = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))\s*(,|$)/y;
  param.lastIndex = match[0].length;
  while (param.lastIndex < value.length) {
    const p = param.exec(value);
    if (!p) return null;
    const name = p[1]!.toLowerCase();
    if (params.has(name)) return null;
    params.set(name, p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!);
    if (p[4] === '') break;
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

const md5 = (text: string) => createHash('md5').update(text, 'latin1').digest('hex');

export interface DigestInput {
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}

/** The `response` value a client computes (RFC 2617 §3.2.2.1, algorithm MD5). */
export function digestResponse(input: DigestInput): string {
  const ha1 = md5(`${input.username}:${input.realm}:${input.password}`);
  const ha2 = md5(`${input.method}:${input.uri}`);
  if (input.qop)
    return md5(`${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`);
  return md5(`${ha1}:${input.nonce}:${ha2}`);
}

export type DigestVerdict =
  | { ok: true; username: string }
  | {
      ok: false;
      /** `stale`: right password, expired nonce: challenge again with stale=true. */
      reason:
        | 'missing'
        | 'malformed'
        | 'unsupported'
        | 'bad-nonce'
        | 'stale'
        | 'replay'
        | 'uri-mismatch'
        | 'unknown-user'
        | 'wrong-password';
      username?: string;
    };

export interface DigestOptions {
  realm: string;
  /** How long a nonce is accepted; after that a correct response gets a stale=true challenge. */
  nonceLifetimeMs: number;
  now?: () => number;
  /** Key that signs nonces; random per process unless given (tests). */
  secret?: Buffer;
}

/** Nonces tracked for replay (nc) at most; the oldest are forgotten first. */
const MAX_TRACKED_NONCES = 50_000;

export class DigestAuthenticator {
  readonly realm: string;
  private readonly lifetimeMs: number;
  private readonly now: () => number;
  private readonly secret: Buffer;
  /** Highest nonce-count seen per nonce, so a captured response cannot be replayed. */
  private readonly lastNc = new Map<string, number>();

  constructor(options: DigestOptions) {
    this.realm = options.realm;
    this.lifetimeMs = options.nonceLifetimeMs;
    this.now = options.now ?? Date.now;
    this.secret = options.secret ?? randomBytes(32);
  }

  /**
   * A nonce needs no server state: it carries its issue time and a MAC over it, so any nonce
   * we issued can be checked (and found stale) without remembering it.
   */
  private nonce(): string {
    const time = Buffer.alloc(8);
    time.writeBigUInt64BE(BigInt(this.now()));
    return Buffer.concat([time, this.mac(time)]).toString('base64url');
  }

  private mac(time: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(time).digest().subarray(0, 16);
  }

  private nonceState(nonce: string): 'fresh' | 'stale' | 'bad' {
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== 24 || raw.toString('base64url') !== nonce) return 'bad';
    const time = raw.subarray(0, 8);
    if (!timingSafeEqual(raw.subarray(8), this.mac(time))) return 'bad';
    const age = this.now() - Number(time.readBigUInt64BE());
    return age >= 0 && age <= this.lifetimeMs ? 'fresh' : 'stale';
  }

  /** A WWW-Authenticate / Proxy-Authenticate value. */
  challenge(stale = false): string {
    return `Digest realm="${this.realm}", nonce="${this.nonce()}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
  }

  /**
   * Checks Authorization / Proxy-Authorization values of a request with `method` against
   * `passwordOf`. Only credentials for our realm count; the rest belong to other hops.
   */
  verify(
    values: readonly string[],
    method: string,
    passwordOf: (username: string) => string | undefined,
  ): DigestVerdict {
    for (const value of values) {
      const credentials = parseCredentials(value);
      if (!credentials || credentials.scheme !== 'digest') continue;
      if (credentials.params.get('realm') !== this.realm) continue;
      return this.check(credentials.params, method, passwordOf);
    }
    // Credentials in another scheme (RFC 4475 regaut01) are not ours to judge: challenge.
    const anyDigest = values.some((v) => parseCredentials(v)?.scheme === 'digest');
    if (values.length > 0 && !anyDigest) return { ok: false, reason: 'unsupported' };
    return { ok: false, reason: 'missing' };
  }

  /**
   * The digest-uri is not held to the Request-URI: sipp and some phones put the registrar's
   * address there. The hash still covers that uri and the method, and nc stops replays.
   */
  private check(
    p: Map<string, string>,
    method: string,
    passwordOf: (username: string) => string | undefined,
  ): DigestVerdict {
    const username = p.get('username');
    const nonce = p.get('nonce');
    const uri = p.get('uri');
    const response = p.get('response');
    if (!username || !nonce || !uri || !response) return { ok: false, reason: 'malformed' };
    const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
    if (algorithm !== 'MD5') return { ok: false, reason: 'unsupported', username };
    const qop = p.get('qop');
    if (qop !== undefined && qop.toLowerCase() !== 'auth')
      return { ok: false, reason: 'unsupported', username };
    const nc = p.get('nc');
    const cnonce = p.get('cnonce');
    if (qop && (!nc || !/^[0-9a-fA-F]{8}$/.test(nc) || !cnonce))
      return { ok: false, reason: 'malformed', username };
    const state = this.nonceState(nonce);
    if (state === 'bad') return { ok: false, reason: 'bad-nonce', username };
    const password = passwordOf(username);
    if (password === undefined) return { ok: false, reason: 'unknown-user', username };
    const expected = digestResponse({
      username,
      realm: this.realm,
      password,
      method,
      uri,
      nonce,
      qop,
      nc,
      cnonce,
    });
    if (!safeEqual(expected, response.toLowerCase()))
      return { ok: false, reason: 'wrong-password', username };
    if (state === 'stale') return { ok: false, reason: 'stale', username };
    if (qop && !this.acceptNonceCount(nonce, parseInt(nc!, 16)))
      return { ok: false, reason: 'replay', username };
    return { ok: true, username };
  }

  private acceptNonceCount(nonce: string, nc: number): boolean {
    const last = this.lastNc.get(nonce);
    if (last !== undefined && nc <= last) return false;
    this.lastNc.delete(nonce);
    this.lastNc.set(nonce, nc);
    if (this.lastNc.size > MAX_TRACKED_NONCES) this.forgetOldNonces();
    return true;
  }

  /** Expired nonces first (they are refused as stale anyway), then the least recently used. */
  private forgetOldNonces(): void {
    for (const nonce of this.lastNc.keys()) {
      if (this.nonceState(nonce) !== 'fresh') this.lastNc.delete(nonce);
    }
    for (const nonce of this.lastNc.keys()) {
      if (this.lastNc.size <= MAX_TRACKED_NONCES / 2) return;
      this.lastNc.delete(nonce);
    }
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
