// Inbound calls from real SIP peers (sipp, and a hand-driven UDP peer where sipp cannot misbehave
// the way we need) against a SipServer whose call handler stands in for the channel core.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InboundSipCall, NegotiatedMedia, SipCallEnd } from '../../src/media/sip/index.js';
import {
  IDLE,
  RawUdpPeer,
  header,
  offerSdp,
  runSipp,
  scenario,
  sipRequest,
  startTestServer,
  toTagOf,
  waitForIdle,
  type TestServer,
} from '../sipp/harness.js';

let t: TestServer;
let onCall: ((call: InboundSipCall, rtp: { address: string; port: number }) => void) | null = null;

beforeAll(async () => {
  t = await startTestServer({
    numbers: ['1000'],
    onCall: (call, rtp) => {
      if (onCall) onCall(call, rtp);
      else {
        call.ring();
        call.answer(rtp).catch(() => {});
      }
    },
  });
});
afterEach(async () => {
  onCall = null;
  expect(await waitForIdle(t.server)).toEqual(IDLE);
  t.calls.length = 0;
});
afterAll(() => t.stop());

const ended = (call: InboundSipCall): Promise<SipCallEnd> => t.endOf(call);

async function nextCall(): Promise<InboundSipCall> {
  for (let i = 0; i < 400 && t.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const call = t.calls[0];
  if (!call) throw new Error('no call arrived');
  return call;
}

describe('inbound SIP calls', () => {
  it('answers a sipp call with our RTP address and sees the caller hang up', async () => {
    const ends: SipCallEnd[] = [];
    onCall = (call, rtp) => {
      call.on('ended', (end) => ends.push(end));
      call.ring();
      call.answer(rtp).catch(() => {});
    };
    const result = await runSipp(t.port, ['-sn', 'uac', '-s', '1000', '-m', '1']);
    expect(result.code, result.output).toBe(0);
    const call = t.calls[0]!;
    expect(call.dialled).toBe('1000');
    expect(call.transport).toBe('udp');
    expect(call.media).toMatchObject({ codec: 'PCMU', payloadType: 0, sampleRate: 8000 });
    expect(call.source.address).toBe('127.0.0.1');
    expect(ends).toEqual([{ cause: 16, by: 'remote', reason: 'BYE' }]);
  });

  it('answers sipp calls over TCP and closes the connection when sipp goes', async () => {
    const result = await runSipp(t.port, ['-sn', 'uac', '-s', '1000', '-m', '3', '-r', '3', '-t', 't1']);
    expect(result.code, result.output).toBe(0);
    expect(t.calls.map((c) => c.transport)).toEqual(['tcp', 'tcp', 'tcp']);
  });

  it('ends a ringing call when the caller cancels: 487, cause from its Reason header', async () => {
    onCall = (call) => call.ring();
    const result = runSipp(t.port, ['-sf', scenario('uac-cancel.xml'), '-s', '1000', '-m', '1']);
    const call = await nextCall();
    const end = await ended(call);
    expect((await result).code).toBe(0);
    expect(end).toEqual({ cause: 16, by: 'remote', status: 487, reason: 'CANCEL' });
  });

  it('hangs up an answered call with BYE', async () => {
    onCall = (call, rtp) => {
      call
        .answer(rtp)
        .then(() => call.hangup(16))
        .catch(() => {});
    };
    const result = runSipp(t.port, ['-sf', scenario('uac-wait-bye.xml'), '-s', '1000', '-m', '1']);
    const call = await nextCall();
    const end = await ended(call);
    expect(end).toEqual({ cause: 16, by: 'local', reason: 'hangup' });
    const done = await result;
    expect(done.code, done.output).toBe(0);
  });

  it('follows re-INVITEs: hold, unhold, and a codec change, answering from the same address', async () => {
    const media: NegotiatedMedia[] = [];
    onCall = (call, rtp) => {
      call.on('media', (m) => media.push(m));
      call.answer(rtp).catch(() => {});
    };
    const result = await runSipp(t.port, ['-sf', scenario('uac-reinvite.xml'), '-s', '1000', '-m', '1']);
    expect(result.code, result.output).toBe(0);
    expect(media.map((m) => [m.direction, m.codec])).toEqual([
      ['sendonly', 'PCMU'],
      ['sendrecv', 'PCMU'],
      ['sendrecv', 'PCMA'],
    ]);
  });

  it('hears DTMF sent by SIP INFO in both body types', async () => {
    const digits: { digit: string; durationMs: number }[] = [];
    onCall = (call, rtp) => {
      call.on('dtmf', (d) => digits.push(d));
      call.answer(rtp).catch(() => {});
    };
    const result = await runSipp(t.port, ['-sf', scenario('uac-info-dtmf.xml'), '-s', '1000', '-m', '1']);
    expect(result.code, result.output).toBe(0);
    expect(digits).toEqual([
      { digit: '5', durationMs: 160 },
      { digit: '#', durationMs: 100 },
    ]);
  });

  it('answers OPTIONS with what it allows and accepts', async () => {
    const result = await runSipp(t.port, ['-sf', scenario('uac-options.xml'), '-s', '1000', '-m', '1']);
    expect(result.code, result.output).toBe(0);
  });

  it('lets the core refuse an unknown number with 404', async () => {
    const peer = await RawUdpPeer.open(t.port);
    const base = {
      serverPort: t.port,
      port: peer.port,
      callId: 'unknown-1',
      branch: 'z9hG4bK-unknown-1',
      cseq: 1,
    };
    peer.send(sipRequest({ ...base, method: 'INVITE', user: '5555', body: offerSdp(40000) }));
    const response = await peer.next(/^SIP\/2\.0 404/);
    peer.send(sipRequest({ ...base, method: 'ACK', user: '5555', toTag: toTagOf(response) }));
    await peer.close();
    expect(t.calls[0]?.dialled).toBe('5555');
  });

  it('refuses an offer with no codec in common with 488, before the core sees it', async () => {
    const peer = await RawUdpPeer.open(t.port);
    const base = { serverPort: t.port, port: peer.port, callId: 'g729-1', branch: 'z9hG4bK-g729-1', cseq: 1 };
    peer.send(sipRequest({ ...base, method: 'INVITE', body: offerSdp(40000, '18') }));
    const response = await peer.next(/^SIP\/2\.0 488/);
    peer.send(sipRequest({ ...base, method: 'ACK', toTag: toTagOf(response) }));
    await peer.close();
    expect(t.calls).toHaveLength(0);
  });

  it('retransmits its 200 to a caller that never ACKs, then ends the call (no ACK) with a BYE', async () => {
    let answer: Promise<void> | null = null;
    onCall = (call, rtp) => {
      answer = call.answer(rtp);
    };
    const peer = await RawUdpPeer.open(t.port);
    peer.send(
      sipRequest({
        method: 'INVITE',
        serverPort: t.port,
        port: peer.port,
        callId: 'noack-1',
        branch: 'z9hG4bK-noack-1',
        cseq: 1,
        body: offerSdp(40000),
      }),
    );
    const call = await nextCall();
    const end = await ended(call);
    expect(end).toEqual({ cause: 18, by: 'remote', reason: 'no ACK' });
    await expect(answer).rejects.toMatchObject({ code: 'NO_ACK' });
    const oks = peer.messages.filter((m) => m.startsWith('SIP/2.0 200'));
    expect(oks.length).toBeGreaterThan(3);
    const bye = await peer.next(/^BYE /);
    peer.send(
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
    await peer.close();
  });

  it('answers a hold re-INVITE with recvonly at the same local RTP address', async () => {
    onCall = (call, rtp) => {
      call.answer(rtp).catch(() => {});
    };
    const peer = await RawUdpPeer.open(t.port);
    const base = { serverPort: t.port, port: peer.port, callId: 'hold-1', fromTag: 'holdtag' };
    peer.send(
      sipRequest({ ...base, method: 'INVITE', branch: 'z9hG4bK-hold-1', cseq: 1, body: offerSdp(40000) }),
    );
    const ok = await peer.next(/^SIP\/2\.0 200/);
    const toTag = toTagOf(ok);
    peer.send(sipRequest({ ...base, method: 'ACK', branch: 'z9hG4bK-hold-1a', cseq: 1, toTag }));
    peer.send(
      sipRequest({
        ...base,
        method: 'INVITE',
        branch: 'z9hG4bK-hold-2',
        cseq: 2,
        toTag,
        body: offerSdp(40000, '0 101', 'sendonly', 2),
      }),
    );
    const reOk = await peer.next(/^SIP\/2\.0 200[^]*CSeq: 2 INVITE/);
    peer.send(sipRequest({ ...base, method: 'ACK', branch: 'z9hG4bK-hold-2a', cseq: 2, toTag }));
    expect(reOk).toContain(`m=audio ${t.rtpPort} RTP/AVP 0 101`);
    expect(reOk).toContain('c=IN IP4 127.0.0.1');
    expect(reOk).toContain('a=recvonly');
    expect(header(ok, 'Allow')).toBe('INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REGISTER');
    expect(header(ok, 'Contact')).toBe(`<sip:hotline@127.0.0.1:${t.port}>`);
    expect(reOk).toMatch(/o=hotline \d+ 2 IN IP4/);
    const call = await nextCall();
    const end = ended(call);
    peer.send(sipRequest({ ...base, method: 'BYE', branch: 'z9hG4bK-hold-3', cseq: 3, toTag }));
    await peer.next(/^SIP\/2\.0 200[^]*CSeq: 3 BYE/);
    expect(await end).toMatchObject({ by: 'remote', reason: 'BYE' });
    await peer.close();
  });
});
