import {
  DigestAuthentication,
  Grammar,
  LoggerFactory,
  OutgoingRequestMessage,
  URI,
} from 'sip.js/lib/core/index.js';
import { describe, expect, it } from 'vitest';
import { DigestAuthenticator, digestResponse, parseCredentials } from './digest.js';

const passwords: Record<string, string> = { agent1: 'secret1' };
const passwordOf = (name: string) => passwords[name];

/** The Authorization header sip.js's own client would send for this challenge. */
function clientAnswer(
  challenge: string,
  password = 'secret1',
  method = 'REGISTER',
  uri = 'sip:127.0.0.1',
): string {
  const factory = new LoggerFactory();
  factory.builtinEnabled = false;
  const request = new OutgoingRequestMessage(
    method,
    Grammar.URIParse(uri)!,
    new URI('sip', 'agent1', '127.0.0.1'),
    new URI('sip', 'agent1', '127.0.0.1'),
  );
  const client = new DigestAuthentication(factory, undefined, 'agent1', password);
  const parsed = Grammar.parse(challenge, 'challenge') as object;
  if (!client.authenticate(request, parsed)) throw new Error('sip.js refused the challenge');
  return client.toString();
}

function authenticator(now: () => number = Date.now) {
  return new DigestAuthenticator({
    realm: 'hotline',
    nonceLifetimeMs: 60_000,
    now,
    secret: Buffer.alloc(32, 7),
  });
}

describe('digest authentication', () => {
  it('computes RFC 2617 section 3.5 example response', () => {
    expect(
      digestResponse({
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('parses credentials with quoted and token values', () => {
    const c = parseCredentials('Digest username="a\\"b", realm="hotline", nc=00000001, qop=auth');
    expect(c?.scheme).toBe('digest');
    expect(c?.params.get('username')).toBe('a"b');
    expect(c?.params.get('nc')).toBe('00000001');
    expect(parseCredentials('Digest username="unterminated')).toBeNull();
    expect(parseCredentials('Digest a=1, a=2')).toBeNull();
  });

  it('accepts what sip.js answers to its challenge, with the right password', () => {
    const auth = authenticator();
    const header = clientAnswer(auth.challenge());
    expect(auth.verify([header], 'REGISTER', passwordOf)).toEqual({
      ok: true,
      username: 'agent1',
    });
  });

  it('refuses a wrong password and an unknown user', () => {
    const auth = authenticator();
    expect(auth.verify([clientAnswer(auth.challenge(), 'guess')], 'REGISTER', passwordOf)).toMatchObject({
      ok: false,
      reason: 'wrong-password',
    });
    expect(auth.verify([clientAnswer(auth.challenge())], 'REGISTER', () => undefined)).toMatchObject({
      ok: false,
      reason: 'unknown-user',
    });
  });

  it('refuses a replayed response (same nonce count)', () => {
    const auth = authenticator();
    const header = clientAnswer(auth.challenge());
    expect(auth.verify([header], 'REGISTER', passwordOf).ok).toBe(true);
    expect(auth.verify([header], 'REGISTER', passwordOf)).toMatchObject({
      ok: false,
      reason: 'replay',
    });
  });

  it('calls an expired nonce stale when the password is right, so the client retries at once', () => {
    let now = 1_000_000;
    const auth = authenticator(() => now);
    const header = clientAnswer(auth.challenge());
    now += 60_001;
    expect(auth.verify([header], 'REGISTER', passwordOf)).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    expect(auth.challenge(true)).toMatch(/stale=true/);
  });

  it('refuses nonces it did not issue', () => {
    const auth = authenticator();
    const other = new DigestAuthenticator({
      realm: 'hotline',
      nonceLifetimeMs: 60_000,
      secret: Buffer.alloc(32, 9),
    });
    const header = clientAnswer(other.challenge());
    expect(auth.verify([header], 'REGISTER', passwordOf)).toMatchObject({
      ok: false,
      reason: 'bad-nonce',
    });
  });

  it('treats no credentials as missing, and another scheme as unsupported', () => {
    const auth = authenticator();
    expect(auth.verify([], 'REGISTER', passwordOf)).toMatchObject({
      ok: false,
      reason: 'missing',
    });
    expect(auth.verify(['NoOneKnowsThisScheme opaque-data=here'], 'REGISTER', passwordOf)).toMatchObject({
      ok: false,
      reason: 'unsupported',
    });
  });

  it('ignores credentials for another realm', () => {
    const auth = authenticator();
    const header = clientAnswer(auth.challenge()).replace('realm="hotline"', 'realm="other"');
    expect(auth.verify([header], 'REGISTER', passwordOf)).toMatchObject({
      ok: false,
      reason: 'missing',
    });
  });
});
