// Calls through configured trunks, with sipp as the far end (its built-in UAS and our scenarios),
// and calls from a trunk's address, which are recognised and not challenged.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundSipCall, SipCallEnd } from '../../src/media/sip/index.js';
import { freeSipPort, freeUdpPort } from '../helpers/ports.js';
import {
  IDLE,
  RawUdpPeer,
  offerSdp,
  scenario,
  sipRequest,
  startSipp,
  startTestServer,
  toTagOf,
  waitForIdle,
  type TestServer,
} from '../sipp/harness.js';

let t: TestServer;
let udpFarEnd: number;
let tcpFarEnd: number;
let silentPort: number;

beforeAll(async () => {
  udpFarEnd = await freeUdpPort();
  tcpFarEnd = await freeSipPort();
  silentPort = await freeUdpPort();
  t = await startTestServer({
    numbers: ['1000'],
    sip: {
      endpoints: [{ name: 'agent1', password: 'secret1' }],
      trunks: [
        {
          name: 'carrier',
          host: '127.0.0.1',
          port: udpFarEnd,
          match: ['127.0.0.0/8'],
          username: 'hotline',
          password: 'trunk-secret',
        },
        { name: 'pbx', host: '127.0.0.1', port: tcpFarEnd, transport: 'tcp', match: ['192.0.2.1'] },
        { name: 'void', host: '127.0.0.1', port: silentPort, match: ['192.0.2.2'] },
      ],
    },
    tcp: { idleTimeoutMs: 300 },
  });
});
afterEach(async () => {
  expect(await waitForIdle(t.server)).toEqual(IDLE);
  t.calls.length = 0;
});
afterAll(() => t.stop());

const local = () => ({ address: '127.0.0.1', port: t.rtpPort });

function callTrunk(trunk: string, number = '5551234'): OutboundSipCall {
  return t.server.invite({
    target: { trunk, number },
    from: { name: 'Hotline', number: '4000' },
    local: local(),
  });
}

const endOf = (call: OutboundSipCall) => new Promise<SipCallEnd>((resolve) => call.once('ended', resolve));

async function farEnd(args: string[], localPort: number) {
  const run = startSipp({ localPort, args: [...args, '-m', '1'] });
  // Give sipp a moment to bind; a first INVITE it misses is retransmitted anyway (Timer A).
  await new Promise((r) => setTimeout(r, 300));
  return run;
}

describe('trunk calls', () => {
  it('calls a number on a UDP trunk, sees it ring and answer, then hangs up with BYE', async () => {
    const uas = await farEnd(['-sf', scenario('uas-answer.xml')], udpFarEnd);
    const call = callTrunk('carrier');
    const ended = endOf(call);
    const progress: number[] = [];
    call.on('progress', (p) => progress.push(p.status));
    const media = await new Promise((resolve) => call.once('answered', resolve));
    expect(media).toMatchObject({ codec: 'PCMU', remote: { address: '127.0.0.1' } });
    expect(progress).toContain(180);
    call.hangup();
    expect(await ended).toEqual({ cause: 16, by: 'local', reason: 'hangup' });
    const result = await uas.done;
    expect(result.code, result.output).toBe(0);
  });

  it('calls over a TCP trunk and lets the connection go once idle', async () => {
    const uas = await farEnd(['-sf', scenario('uas-answer.xml'), '-t', 't1'], tcpFarEnd);
    const call = callTrunk('pbx');
    expect(call.transport).toBe('tcp');
    await new Promise((resolve) => call.once('answered', resolve));
    expect(t.server.counts().tcpConnections).toBe(1);
    call.hangup();
    const result = await uas.done;
    expect(result.code, result.output).toBe(0);
  });

  it('answers the trunk challenge (401) with its configured credentials', async () => {
    const uas = await farEnd(['-sf', scenario('uas-challenge.xml')], udpFarEnd);
    const call = callTrunk('carrier');
    const ended = endOf(call);
    await new Promise((resolve, reject) => {
      call.once('answered', resolve);
      call.once('ended', (end) => reject(new Error(JSON.stringify(end))));
    });
    call.hangup();
    await ended;
    const result = await uas.done;
    expect(result.code, result.output).toBe(0);
  });

  it('reports a busy far end as Q.850 cause 17', async () => {
    const uas = await farEnd(['-sf', scenario('uas-busy.xml')], udpFarEnd);
    const end = await endOf(callTrunk('carrier'));
    expect(end).toEqual({ cause: 17, by: 'remote', status: 486, reason: '486 Busy Here' });
    expect((await uas.done).code).toBe(0);
  });

  it('cancels a ringing trunk call when hung up before the answer', async () => {
    const uas = await farEnd(['-sf', scenario('uas-ring-cancel.xml')], udpFarEnd);
    const call = callTrunk('carrier');
    const ended = endOf(call);
    await new Promise((resolve) => call.once('progress', resolve));
    call.hangup(16);
    expect(await ended).toEqual({ cause: 16, by: 'local', reason: 'CANCEL' });
    const result = await uas.done;
    expect(result.code, result.output).toBe(0);
  });

  it('gives up on a trunk that never answers (408 → cause 18)', async () => {
    const end = await endOf(callTrunk('void'));
    expect(end).toEqual({ cause: 18, by: 'remote', status: 408, reason: 'no response' });
  });

  it('only calls trunks that are configured', () => {
    expect(() => callTrunk('elsewhere')).toThrow(expect.objectContaining({ code: 'TRUNK_NOT_FOUND' }));
  });

  it("takes a call from a trunk's address as that trunk's, without challenging it", async () => {
    const peer = await RawUdpPeer.open(t.port);
    const base = { serverPort: t.port, port: peer.port, callId: 'from-trunk', fromUser: 'agent1' };
    peer.send(
      sipRequest({ ...base, method: 'INVITE', branch: 'z9hG4bK-ft-1', cseq: 1, body: offerSdp(40000) }),
    );
    const ok = await peer.next(/^SIP\/2\.0 200/);
    const toTag = toTagOf(ok);
    peer.send(sipRequest({ ...base, method: 'ACK', branch: 'z9hG4bK-ft-2', cseq: 1, toTag }));
    peer.send(sipRequest({ ...base, method: 'BYE', branch: 'z9hG4bK-ft-3', cseq: 2, toTag }));
    await peer.next(/^SIP\/2\.0 200[^]*CSeq: 2 BYE/);
    await peer.close();
    expect(t.calls[0]).toMatchObject({ trunk: 'carrier', endpoint: undefined, dialled: '1000' });
  });
});
