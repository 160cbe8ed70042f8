import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RtcpPacket } from '../rtp/index.js';
import type { MediaEngineEvent } from './contract.js';
import { engineFixture, settingsFor, type EngineFixture } from './testing/engine-fixture.js';
import { FakeClock } from './testing/fake-clock.js';
import { RtpPeer, sleep } from './testing/rtp-peer.js';

type TimeoutEvent = Extract<MediaEngineEvent, { type: 'rtp-timeout' }>;

describe('an RTP endpoint on a fake clock', () => {
  let clock: FakeClock;
  let fx: EngineFixture;
  let phone: RtpPeer;
  let port: number;
  beforeEach(async () => {
    clock = new FakeClock();
    fx = engineFixture({ clock, rtpTimeoutMs: 5000 });
    phone = await RtpPeer.open();
    port = (await fx.engine.createRtpEndpoint('call', { bindAddress: '127.0.0.1' })).port;
    fx.engine.configureRtpEndpoint('call', settingsFor(phone.port));
  });
  afterEach(async () => {
    phone.close();
    await fx.finish();
    expect(clock.pending).toBe(0);
  });

  const timeouts = (): TimeoutEvent[] => fx.events.filter((e): e is TimeoutEvent => e.type === 'rtp-timeout');

  it('reports a silent peer once after rtpTimeoutMs, and again after it came back and went', async () => {
    clock.advance(4000);
    await sleep(0);
    expect(timeouts()).toHaveLength(0);
    clock.advance(2000);
    await sleep(0);
    expect(timeouts()).toEqual([{ type: 'rtp-timeout', endpoint: 'call', silentMs: 5000 }]);
    clock.advance(20_000);
    await sleep(0);
    expect(timeouts()).toHaveLength(1);

    phone.send(port, 0, new Uint8Array(160));
    for (let i = 0; i < 100 && (await fx.engine.stats('call'))!.rxCount === 0; i++) await sleep(5);
    clock.advance(6000);
    await sleep(0);
    expect(timeouts()).toHaveLength(2);
  });

  it('does not time out an endpoint that is on hold (not sendrecv)', async () => {
    fx.engine.configureRtpEndpoint('call', settingsFor(phone.port, 'PCMU', { direction: 'sendonly' }));
    clock.advance(60_000);
    await sleep(0);
    expect(timeouts()).toHaveLength(0);
  });

  it('sends a sender report once it has sent RTP, counting packets and octets', async () => {
    fx.engine.startTone({ endpoint: 'call' }, 'ring');
    await sleep(0);
    clock.advance(8000);
    fx.engine.stopTone({ endpoint: 'call' });
    for (let i = 0; i < 100 && phone.rtcp.length === 0; i++) await sleep(5);
    const sr = phone.rtcp[0]![0] as Extract<RtcpPacket, { type: 'sr' }>;
    expect(sr.type).toBe('sr');
    expect(sr.packetCount).toBeGreaterThan(100);
    expect(sr.octetCount).toBe(sr.packetCount * 160);
    expect(sr.ssrc).toBe((await fx.engine.stats('call'))!.localSsrc);
  });

  it('sends RTCP reports with our SSRC, a report on the peer, and a CNAME; BYE when destroyed', async () => {
    phone.send(port, 0, new Uint8Array(160));
    phone.send(port, 0, new Uint8Array(160));
    for (let i = 0; i < 100 && (await fx.engine.stats('call'))!.rxCount < 2; i++) await sleep(5);
    clock.advance(8000);
    for (let i = 0; i < 100 && phone.rtcp.length === 0; i++) await sleep(5);
    const [report] = phone.rtcp;
    const ssrc = (await fx.engine.stats('call'))!.localSsrc;
    expect(report![0]).toMatchObject({ type: 'rr', ssrc });
    const rr = report![0] as Extract<RtcpPacket, { type: 'rr' }>;
    expect(rr.reports[0]).toMatchObject({
      ssrc: phone.ssrc,
      cumulativeLost: 0,
      extendedHighestSequence: 1001,
    });
    expect(report![1]).toMatchObject({
      type: 'sdes',
      chunks: [{ ssrc, items: [{ type: 1, text: 'hotline@127.0.0.1' }] }],
    });
    await fx.engine.destroyEndpoint('call');
    const bye = (): boolean => phone.rtcp.some((r) => r.some((p) => p.type === 'bye'));
    for (let i = 0; i < 100 && !bye(); i++) await sleep(5);
    expect(phone.rtcp.find((r) => r.some((p) => p.type === 'bye'))!.at(-1)).toEqual({
      type: 'bye',
      ssrcs: [ssrc],
    });
  });
});
