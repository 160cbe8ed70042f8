// The TCP transport (keep-alives, size and connection limits, idle close, connection reuse for an
// endpoint registered over TCP) and a server stop that ends every call the right way.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestResponse } from '../../src/media/sip/digest.js';
import { StreamFramer } from '../../src/media/sip/wire/stream-framer.js';
import {
  IDLE,
  RawUdpPeer,
  header,
  offerSdp,
  sipRequest,
  startTestServer,
  toTagOf,
  waitForIdle,
  type TestServer,
} from '../sipp/harness.js';

/** A hand-driven SIP peer on one TCP connection. */
class RawTcpPeer {
  readonly received: string[] = [];
  closed = false;
  private constructor(readonly socket: Socket) {
    const framer = new StreamFramer(1 << 20);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk))
        if (frame.kind === 'message') this.received.push(frame.data.toString('latin1'));
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<RawTcpPeer> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    return new RawTcpPeer(socket);
  }

  get port(): number {
    return this.socket.localPort!;
  }

  send(text: string | Buffer): void {
    this.socket.write(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  }

  async next(pattern: RegExp, ms = 3000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const index = this.received.findIndex((m) => pattern.test(m));
      if (index >= 0) return this.received.splice(index, 1)[0]!;
      if (Date.now() > until)
        throw new Error(
          `no ${pattern} on TCP; got ${this.received.map((m) => m.split('\r\n')[0]).join(' | ')}`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async waitClosed(ms = 3000): Promise<boolean> {
    for (const until = Date.now() + ms; !this.closed && Date.now() < until;)
      await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    numbers: ['1000'],
    sip: { endpoints: [{ name: 'agent1', password: 'secret1' }] },
    tcp: { idleTimeoutMs: 400, maxMessageBytes: 4000, maxConnections: 8 },
  });
});
afterAll(() => t.stop());

describe('the SIP TCP transport', () => {
  it('answers a CRLFCRLF keep-alive with CRLF', async () => {
    const socket = connect({ host: '127.0.0.1', port: t.port });
    const pong = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
    socket.write('\r\n\r\n');
    expect(await pong).toBe('\r\n');
    socket.destroy();
  });

  it('refuses a message over the size limit with 513 and closes the connection', async () => {
    const peer = await RawTcpPeer.open(t.port);
    const big = sipRequest({
      method: 'OPTIONS',
      serverPort: t.port,
      port: peer.port,
      transport: 'TCP',
      callId: 'big',
      branch: 'z9hG4bK-big',
      cseq: 1,
      body: 'x'.repeat(5000),
      contentType: 'text/plain',
    });
    peer.send(big);
    expect(await peer.next(/^SIP\/2\.0 513/)).toContain('CSeq: 1 OPTIONS');
    expect(await peer.waitClosed()).toBe(true);
  });

  it('closes idle connections, and holds no more than its limit', async () => {
    const peers = await Promise.all(Array.from({ length: 10 }, () => RawTcpPeer.open(t.port)));
    await new Promise((r) => setTimeout(r, 100));
    expect(t.server.counts().tcpConnections).toBeLessThanOrEqual(8);
    const closed = await Promise.all(peers.map((p) => p.waitClosed(3000)));
    expect(closed.every(Boolean)).toBe(true);
    expect(await waitForIdle(t.server)).toEqual(IDLE);
  });

  it('calls an endpoint registered over TCP on the connection it registered on, kept open past the idle limit', async () => {
    const phone = await RawTcpPeer.open(t.port);
    const uri = `sip:127.0.0.1:${t.port}`;
    const reg = {
      method: 'REGISTER',
      uri,
      user: 'agent1',
      fromUser: 'agent1',
      serverPort: t.port,
      port: phone.port,
      transport: 'TCP' as const,
      callId: 'tcp-reg',
    };
    phone.send(sipRequest({ ...reg, branch: 'z9hG4bK-tr1', cseq: 1, headers: ['Expires: 60'] }));
    const nonce = /nonce="([^"]+)"/.exec(await phone.next(/^SIP\/2\.0 401/))![1]!;
    const response = digestResponse({
      username: 'agent1',
      realm: 'hotline',
      password: 'secret1',
      method: 'REGISTER',
      uri,
      nonce,
    });
    const authorization = `Authorization: Digest username="agent1", realm="hotline", nonce="${nonce}", uri="${uri}", response="${response}"`;
    phone.send(
      sipRequest({ ...reg, branch: 'z9hG4bK-tr2', cseq: 2, headers: ['Expires: 60', authorization] }),
    );
    await phone.next(/^SIP\/2\.0 200/);
    await new Promise((r) => setTimeout(r, 800));
    expect(phone.closed).toBe(false);

    const call = t.server.invite({
      target: { endpoint: 'agent1' },
      from: { name: 'Hotline', number: '4000' },
      local: { address: '127.0.0.1', port: t.rtpPort },
    });
    expect(call.transport).toBe('tcp');
    const invite = await phone.next(/^INVITE /);
    expect(header(invite, 'Via')).toMatch(new RegExp(`^SIP/2\\.0/TCP 127\\.0\\.0\\.1:${t.port};`));
    expect(header(invite, 'Contact')).toMatch(/;transport=tcp>/);
    const reply = (status: string, extra: string[] = [], body = '') =>
      [
        `SIP/2.0 ${status}`,
        `Via: ${header(invite, 'Via')}`,
        `From: ${header(invite, 'From')}`,
        `To: ${header(invite, 'To')};tag=phone`,
        `Call-ID: ${header(invite, 'Call-ID')}`,
        `CSeq: ${header(invite, 'CSeq')}`,
        `Contact: <sip:agent1@127.0.0.1:${phone.port};transport=tcp>`,
        ...extra,
        `Content-Length: ${body.length}`,
        '',
        body,
      ].join('\r\n');
    const answered = new Promise((resolve) => call.once('answered', resolve));
    phone.send(reply('200 OK', ['Content-Type: application/sdp'], offerSdp(42000, '0')));
    await answered;
    await phone.next(/^ACK /);
    const ended = new Promise((resolve) => call.once('ended', resolve));
    call.hangup();
    const bye = await phone.next(/^BYE /);
    phone.send(
      [
        'SIP/2.0 200 OK',
        `Via: ${header(bye, 'Via')}`,
        `From: ${header(bye, 'From')}`,
        `To: ${header(bye, 'To')}`,
        `Call-ID: ${header(bye, 'Call-ID')}`,
        `CSeq: ${header(bye, 'CSeq')}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    expect(await ended).toMatchObject({ by: 'local' });

    phone.send(sipRequest({ ...reg, branch: 'z9hG4bK-tr3', cseq: 3, headers: ['Expires: 0'] }));
    const nonce2 = /nonce="([^"]+)"/.exec(await phone.next(/^SIP\/2\.0 401/))![1]!;
    const response2 = digestResponse({
      username: 'agent1',
      realm: 'hotline',
      password: 'secret1',
      method: 'REGISTER',
      uri,
      nonce: nonce2,
    });
    phone.send(
      sipRequest({
        ...reg,
        branch: 'z9hG4bK-tr4',
        cseq: 4,
        headers: [
          'Expires: 0',
          `Authorization: Digest username="agent1", realm="hotline", nonce="${nonce2}", uri="${uri}", response="${response2}"`,
        ],
      }),
    );
    await phone.next(/^SIP\/2\.0 200/);
    // Unregistered and the call over: nothing holds the connection, so it idles out.
    expect(await phone.waitClosed()).toBe(true);
    expect(await waitForIdle(t.server)).toEqual(IDLE);
  });
});

describe('stopping the SIP server', () => {
  it('refuses ringing calls with 503, hangs up answered ones with BYE, and leaves nothing behind', async () => {
    const s = await startTestServer({
      numbers: ['1000', '2000'],
      onCall: (call, rtp) => {
        if (call.dialled === '1000') call.ring();
        else call.answer(rtp).catch(() => {});
      },
    });
    const ringing = await RawUdpPeer.open(s.port);
    const talking = await RawUdpPeer.open(s.port);
    ringing.send(
      sipRequest({
        method: 'INVITE',
        serverPort: s.port,
        port: ringing.port,
        callId: 'stop-1',
        branch: 'z9hG4bK-s1',
        cseq: 1,
        body: offerSdp(40000),
      }),
    );
    await ringing.next(/^SIP\/2\.0 180/);
    const base = { serverPort: s.port, port: talking.port, callId: 'stop-2', user: '2000' };
    talking.send(
      sipRequest({ ...base, method: 'INVITE', branch: 'z9hG4bK-s2', cseq: 1, body: offerSdp(40002) }),
    );
    const ok = await talking.next(/^SIP\/2\.0 200/);
    talking.send(sipRequest({ ...base, method: 'ACK', branch: 'z9hG4bK-s2a', cseq: 1, toTag: toTagOf(ok) }));
    await new Promise((r) => setTimeout(r, 100));
    const ends = s.calls.map((c) => s.endOf(c));

    const stopping = s.stop();
    const bye = await talking.next(/^BYE /);
    talking.send(
      [
        'SIP/2.0 200 OK',
        `Via: ${header(bye, 'Via')}`,
        `From: ${header(bye, 'From')}`,
        `To: ${header(bye, 'To')}`,
        `Call-ID: ${header(bye, 'Call-ID')}`,
        `CSeq: ${header(bye, 'CSeq')}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    await stopping;
    expect(await ringing.next(/^SIP\/2\.0 503/)).toContain('CSeq: 1 INVITE');
    expect(await Promise.all(ends)).toEqual([
      { cause: 34, by: 'local', status: 503, reason: 'Service Unavailable' },
      { cause: 16, by: 'local', reason: 'hangup' },
    ]);
    expect(s.server.counts()).toEqual(IDLE);
    await Promise.all([ringing.close(), talking.close()]);
  });
});
