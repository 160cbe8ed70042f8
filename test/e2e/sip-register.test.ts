// The registrar with real phones: sipp registering with digest and calling out, a hand-driven
// UDP peer for the refusals, and a baresip phone that registers and auto-answers our INVITE.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digestResponse } from '../../src/media/sip/digest.js';
import {
  SipError,
  type EndpointInfo,
  type NegotiatedMedia,
  type SipCallEnd,
} from '../../src/media/sip/index.js';
import {
  IDLE,
  RawUdpPeer,
  header,
  runSipp,
  scenario,
  sipRequest,
  startBaresip,
  startTestServer,
  waitForIdle,
  workDir,
  type TestServer,
} from '../sipp/harness.js';

let t: TestServer;
const events: EndpointInfo[] = [];

beforeAll(async () => {
  t = await startTestServer({
    numbers: ['1000'],
    sip: {
      endpoints: [
        { name: 'agent1', password: 'secret1' },
        { name: 'agent2', password: 'secret2', maxContacts: 2 },
        { name: 'agent3', password: 'secret3' },
      ],
    },
    registrar: { minExpires: 1, maxExpires: 3600, defaultExpires: 600 },
  });
  t.server.onEndpointStateChange((info) => events.push(info));
});
afterEach(async () => {
  expect(await waitForIdle(t.server)).toEqual(IDLE);
  events.length = 0;
  t.calls.length = 0;
});
afterAll(() => t.stop());

/** A REGISTER from a raw peer, answered by digest if challenged; returns the final response. */
async function register(
  peer: RawUdpPeer,
  options: { user: string; password: string; aor?: string; expires: number; callId: string; cseq?: number },
): Promise<string> {
  const uri = `sip:127.0.0.1:${t.port}`;
  const cseq = options.cseq ?? 1;
  const aor = options.aor ?? options.user;
  const base = {
    method: 'REGISTER',
    uri,
    user: aor,
    fromUser: aor,
    serverPort: t.port,
    port: peer.port,
    callId: options.callId,
  };
  peer.send(
    sipRequest({
      ...base,
      branch: `z9hG4bK-${options.callId}-${cseq}`,
      cseq,
      headers: [`Expires: ${options.expires}`],
    }),
  );
  const challenge = await peer.next(/^SIP\/2\.0 (401|200|4\d\d)/);
  if (!challenge.startsWith('SIP/2.0 401')) return challenge;
  const nonce = /nonce="([^"]+)"/.exec(header(challenge, 'WWW-Authenticate') ?? '')![1]!;
  const response = digestResponse({
    username: options.user,
    realm: 'hotline',
    password: options.password,
    method: 'REGISTER',
    uri,
    nonce,
    qop: 'auth',
    nc: '00000001',
    cnonce: 'c0ffee',
  });
  const authorization = `Authorization: Digest username="${options.user}", realm="hotline", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"`;
  peer.send(
    sipRequest({
      ...base,
      branch: `z9hG4bK-${options.callId}-${cseq + 1}`,
      cseq: cseq + 1,
      headers: [`Expires: ${options.expires}`, authorization],
    }),
  );
  return peer.next(new RegExp(`^SIP/2\\.0 \\d{3}[^]*CSeq: ${cseq + 1} REGISTER`));
}

describe('the registrar', () => {
  it('registers a sipp phone by digest, challenges its call (407), and forgets it when it unregisters', async () => {
    const users = path.join(workDir, 'users.csv');
    writeFileSync(users, 'SEQUENTIAL\nagent1;\n');
    const result = await runSipp(t.port, [
      ...['-sf', scenario('uac-register-auth.xml'), '-inf', users, '-au', 'agent1', '-ap', 'secret1'],
      ...['-s', '1000', '-m', '1'],
    ]);
    expect(result.code, result.output).toBe(0);
    expect(events.map((e) => [e.name, e.state, e.contacts.length])).toEqual([
      ['agent1', 'online', 1],
      ['agent1', 'offline', 0],
    ]);
    expect(events[0]!.contacts[0]).toMatch(/^sip:agent1@127\.0\.0\.1:\d+;transport=udp$/i);
    expect(t.calls).toHaveLength(1);
    expect(t.calls[0]!.endpoint).toBe('agent1');
  });

  it('refuses a wrong password with 403 and keeps the endpoint offline', async () => {
    const peer = await RawUdpPeer.open(t.port);
    const response = await register(peer, {
      user: 'agent1',
      password: 'guess',
      expires: 60,
      callId: 'wrong-pw',
    });
    await peer.close();
    expect(response).toMatch(/^SIP\/2\.0 403/);
    expect(t.server.endpoint('agent1')).toMatchObject({ state: 'offline', contacts: [] });
  });

  it('refuses an endpoint registering under another endpoint name', async () => {
    const peer = await RawUdpPeer.open(t.port);
    const response = await register(peer, {
      user: 'agent1',
      password: 'secret1',
      aor: 'agent3',
      expires: 60,
      callId: 'other-aor',
    });
    await peer.close();
    expect(response).toMatch(/^SIP\/2\.0 403/);
    expect(t.server.endpoint('agent3')?.state).toBe('offline');
  });

  it('challenges a name that is not configured like any other, then refuses it', async () => {
    const peer = await RawUdpPeer.open(t.port);
    const response = await register(peer, { user: 'nobody', password: 'x', expires: 60, callId: 'nobody' });
    await peer.close();
    expect(response).toMatch(/^SIP\/2\.0 403/);
  });

  it('asks for a longer expiry than the minimum with 423', async () => {
    const strict = await startTestServer({
      sip: { endpoints: [{ name: 'agent1', password: 'secret1' }] },
      registrar: { minExpires: 60 },
    });
    const peer = await RawUdpPeer.open(strict.port);
    const uri = `sip:127.0.0.1:${strict.port}`;
    peer.send(
      sipRequest({
        method: 'REGISTER',
        uri,
        user: 'agent1',
        serverPort: strict.port,
        port: peer.port,
        callId: 'brief',
        branch: 'z9hG4bK-brief',
        cseq: 1,
      }),
    );
    const challenge = await peer.next(/^SIP\/2\.0 401/);
    const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
    const response = digestResponse({
      username: 'agent1',
      realm: 'hotline',
      password: 'secret1',
      method: 'REGISTER',
      uri,
      nonce,
    });
    peer.send(
      sipRequest({
        method: 'REGISTER',
        uri,
        user: 'agent1',
        serverPort: strict.port,
        port: peer.port,
        callId: 'brief',
        branch: 'z9hG4bK-brief-2',
        cseq: 2,
        headers: [
          'Expires: 5',
          `Authorization: Digest username="agent1", realm="hotline", nonce="${nonce}", uri="${uri}", response="${response}"`,
        ],
      }),
    );
    const tooBrief = await peer.next(/^SIP\/2\.0 423/);
    expect(header(tooBrief, 'Min-Expires')).toBe('60');
    await peer.close();
    expect(await waitForIdle(strict.server)).toEqual(IDLE);
    await strict.stop();
  });

  it('lets a registration expire and says so', async () => {
    const peer = await RawUdpPeer.open(t.port);
    const ok = await register(peer, { user: 'agent3', password: 'secret3', expires: 1, callId: 'expiring' });
    expect(ok).toMatch(/^SIP\/2\.0 200/);
    expect(header(ok, 'Contact')).toMatch(/;expires=1$/);
    expect(t.server.endpoint('agent3')?.state).toBe('online');
    for (let i = 0; i < 100 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await peer.close();
    expect(events.map((e) => [e.name, e.state])).toEqual([
      ['agent3', 'online'],
      ['agent3', 'offline'],
    ]);
  });

  it('keeps up to maxContacts bindings and replaces the oldest beyond', async () => {
    const peers = [
      await RawUdpPeer.open(t.port),
      await RawUdpPeer.open(t.port),
      await RawUdpPeer.open(t.port),
    ];
    for (const [i, peer] of peers.entries()) {
      const ok = await register(peer, {
        user: 'agent2',
        password: 'secret2',
        expires: 60,
        callId: `multi-${i}`,
      });
      expect(ok).toMatch(/^SIP\/2\.0 200/);
    }
    const contacts = t.server.endpoint('agent2')!.contacts;
    expect(contacts).toEqual([`sip:raw@127.0.0.1:${peers[2]!.port}`, `sip:raw@127.0.0.1:${peers[1]!.port}`]);
    const last = peers[2]!;
    const gone = await register(last, {
      user: 'agent2',
      password: 'secret2',
      expires: 0,
      callId: 'multi-2',
      cseq: 10,
    });
    expect(gone).toMatch(/^SIP\/2\.0 200/);
    const peer = peers[1]!;
    peer.send(
      sipRequest({
        method: 'REGISTER',
        uri: `sip:127.0.0.1:${t.port}`,
        user: 'agent2',
        fromUser: 'agent2',
        serverPort: t.port,
        port: peer.port,
        callId: 'multi-1',
        branch: 'z9hG4bK-star',
        cseq: 20,
        headers: ['Expires: 0'],
      }).replace(/Contact: [^\r]*/, 'Contact: *'),
    );
    const challenge = await peer.next(/^SIP\/2\.0 401[^]*CSeq: 20/);
    expect(challenge).toContain('WWW-Authenticate: Digest realm="hotline"');
    await Promise.all(peers.map((p) => p.close()));
    // Unregister all the rest the plain way, so the registry is empty again.
    const cleanup = await RawUdpPeer.open(t.port);
    const all = await register(cleanup, {
      user: 'agent2',
      password: 'secret2',
      expires: 0,
      callId: 'multi-1',
      cseq: 30,
    });
    expect(all).toMatch(/^SIP\/2\.0 200/);
    await cleanup.close();
    // The binding registered from peer 1 is still there (its contact was not named): remove it too.
    const again = await RawUdpPeer.open(t.port);
    const starred = sipRequest({
      method: 'REGISTER',
      uri: `sip:127.0.0.1:${t.port}`,
      user: 'agent2',
      fromUser: 'agent2',
      serverPort: t.port,
      port: again.port,
      callId: 'star-2',
      branch: 'z9hG4bK-star2',
      cseq: 1,
      headers: ['Expires: 0'],
    }).replace(/Contact: [^\r]*/, 'Contact: *');
    again.send(starred);
    const star = await again.next(/^SIP\/2\.0 401/);
    const nonce = /nonce="([^"]+)"/.exec(star)![1]!;
    const uri = `sip:127.0.0.1:${t.port}`;
    const response = digestResponse({
      username: 'agent2',
      realm: 'hotline',
      password: 'secret2',
      method: 'REGISTER',
      uri,
      nonce,
    });
    again.send(
      starred
        .replace('branch=z9hG4bK-star2', 'branch=z9hG4bK-star3')
        .replace('CSeq: 1 REGISTER', 'CSeq: 2 REGISTER')
        .replace(
          'Expires: 0',
          `Expires: 0\r\nAuthorization: Digest username="agent2", realm="hotline", nonce="${nonce}", uri="${uri}", response="${response}"`,
        ),
    );
    await again.next(/^SIP\/2\.0 200[^]*CSeq: 2 REGISTER/);
    await again.close();
    expect(t.server.endpoint('agent2')).toMatchObject({ state: 'offline', contacts: [] });
  });

  it('calls a registered baresip phone, which answers by itself, then hangs up with BYE', async () => {
    const phone = await startBaresip({ user: 'agent1', password: 'secret1', registrarPort: t.port });
    try {
      await phone.waitFor(/200 OK.*binding/);
      expect(t.server.endpoint('agent1')).toMatchObject({ state: 'online' });
      expect(() =>
        t.server.invite({
          target: { endpoint: 'agent2' },
          from: { name: 'x', number: '1' },
          local: { address: '127.0.0.1', port: t.rtpPort },
        }),
      ).toThrow(SipError);
      expect(() =>
        t.server.invite({
          target: { endpoint: 'nobody' },
          from: { name: 'x', number: '1' },
          local: { address: '127.0.0.1', port: t.rtpPort },
        }),
      ).toThrow(/not configured/);
      const call = t.server.invite({
        target: { endpoint: 'agent1' },
        from: { name: 'Hotline 热线', number: '4000' },
        local: { address: '127.0.0.1', port: t.rtpPort },
      });
      const answered = await new Promise<NegotiatedMedia>((resolve, reject) => {
        call.once('answered', resolve);
        call.once('ended', (end) => reject(new Error(`call ended: ${JSON.stringify(end)}`)));
      });
      expect(answered.codec).toBe('PCMU');
      expect(answered.remote?.address).toBe('127.0.0.1');
      const ended = new Promise<SipCallEnd>((resolve) => call.once('ended', resolve));
      call.hangup();
      expect(await ended).toEqual({ cause: 16, by: 'local', reason: 'hangup' });
      await phone.waitFor(/terminated|closed|BYE/i);
    } finally {
      await phone.stop();
    }
    // baresip unregisters as it exits.
    for (let i = 0; i < 100 && t.server.endpoint('agent1')?.state !== 'offline'; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(t.server.endpoint('agent1')?.state).toBe('offline');
    expect(events.map((e) => e.state)).toEqual(['online', 'offline']);
  });
});
