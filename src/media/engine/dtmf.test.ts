import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRtp, parseTelephoneEvent, dtmfDigitOf } from '../rtp/index.js';
import { readPcapUdp } from '../rtp/testing/pcap.js';
import type { MediaEngineEvent } from './contract.js';
import { DtmfReceiver } from './dtmf-receiver.js';
import { parseDigits, DtmfSender } from './dtmf-sender.js';
import { engineFixture, eventually, settingsFor, type EngineFixture } from './testing/engine-fixture.js';
import { RtpPeer, sleep } from './testing/rtp-peer.js';

type DtmfEvent = Extract<MediaEngineEvent, { type: 'dtmf' }>;
const KEYS: [string, string][] = [
  ['1', '1'],
  ['5', '5'],
  ['9', '9'],
  ['star', '*'],
  ['pound', '#'],
];

describe('RFC 4733 DTMF in', () => {
  it("reports each of sipp's captured key presses once, despite the repeated end packets", () => {
    for (const [file, digit] of KEYS) {
      const receiver = new DtmfReceiver(8000);
      const presses = readPcapUdp(`/usr/share/sip-tester/dtmf_2833_${file}.pcap`)
        .map((d) => parseRtp(d.payload))
        .map((p) => receiver.receive(p.ssrc, p.timestamp, p.payload))
        .filter((p) => p !== null);
      expect(presses).toHaveLength(1);
      expect(presses[0]!.digit).toBe(digit);
      expect(presses[0]!.durationMs).toBeGreaterThan(0);
    }
  });

  it('reports a press whose end packets were all lost when the next press starts', () => {
    const receiver = new DtmfReceiver(8000);
    const event = (e: number, end: boolean, duration: number): Uint8Array =>
      Uint8Array.from([e, end ? 0x8a : 0x0a, duration >> 8, duration & 0xff]);
    expect(receiver.receive(1, 1000, event(4, false, 160))).toBeNull();
    expect(receiver.receive(1, 1000, event(4, false, 800))).toBeNull();
    expect(receiver.receive(1, 3000, event(7, false, 160))).toEqual({ digit: '4', durationMs: 100 });
    expect(receiver.receive(1, 3000, event(7, true, 400))).toEqual({ digit: '7', durationMs: 50 });
    expect(receiver.receive(1, 3000, event(7, true, 400))).toBeNull();
  });
});

describe('RFC 4733 DTMF out', () => {
  it('paces a digit as packets of one timestamp, growing durations, then three end packets', () => {
    const sender = new DtmfSender(parseDigits('7', { durationMs: 100 }), 8000);
    const packets = [];
    while (!sender.finished) packets.push(sender.next());
    const events = packets
      .filter((p) => p !== null)
      .map((p) => ({ ...parseTelephoneEvent(p.payload), marker: p.marker }));
    expect(events.map((e) => e.event)).toEqual(Array(events.length).fill(7));
    expect(events[0]!.marker).toBe(true);
    expect(events.slice(1).every((e) => !e.marker)).toBe(true);
    expect(events.filter((e) => e.end)).toHaveLength(3);
    expect(events.at(-1)!.duration).toBe(800);
  });

  it('rejects what is not a digit, naming it', () => {
    expect(() => parseDigits('12x', {})).toThrow(/'x' is not a DTMF digit/);
  });
});

describe('DTMF through the engine', () => {
  let fx: EngineFixture;
  let phone: RtpPeer;
  let port: number;
  beforeEach(async () => {
    fx = engineFixture();
    phone = await RtpPeer.open();
    port = (await fx.engine.createRtpEndpoint('call', { bindAddress: '127.0.0.1' })).port;
    fx.engine.configureRtpEndpoint('call', settingsFor(phone.port));
  });
  afterEach(async () => {
    phone.close();
    await fx.finish();
  });

  it("emits one dtmf event per key press replayed from sipp's captures", async () => {
    for (const [file] of KEYS) {
      for (const d of readPcapUdp(`/usr/share/sip-tester/dtmf_2833_${file}.pcap`))
        phone.socket.send(d.payload, port, '127.0.0.1');
      await sleep(20);
    }
    await eventually(fx.events, (e): e is DtmfEvent => e.type === 'dtmf' && e.digit === '#');
    await sleep(50);
    expect(fx.events.filter((e) => e.type === 'dtmf').map((e) => e.digit)).toEqual(['1', '5', '9', '*', '#']);
  });

  it('sends digits the peer can read back, and resolves when the last is sent', async () => {
    await fx.engine.sendDtmf('call', '1#', { durationMs: 100, betweenMs: 60 });
    const dtmf = phone.received.filter((p) => p.payloadType === 101);
    const digits = dtmf.map((p) => parseTelephoneEvent(p.payload));
    const receiver = new DtmfReceiver(8000);
    const presses = dtmf
      .map((p) => receiver.receive(p.ssrc, p.timestamp, p.payload))
      .filter((p) => p !== null);
    expect(presses.map((p) => p.digit)).toEqual(['1', '#']);
    expect(new Set(digits.map((d) => dtmfDigitOf(d.event)))).toEqual(new Set(['1', '#']));
    expect(new Set(dtmf.map((p) => p.timestamp)).size).toBe(2);
  });

  it('passes DTMF across a two-party bridge', async () => {
    const other = await RtpPeer.open();
    try {
      await fx.engine.createRtpEndpoint('agent', { bindAddress: '127.0.0.1' });
      fx.engine.configureRtpEndpoint('agent', settingsFor(other.port));
      fx.engine.createMixer('m');
      fx.engine.joinMixer('m', 'call');
      fx.engine.joinMixer('m', 'agent');
      await sleep(10);
      for (const d of readPcapUdp('/usr/share/sip-tester/dtmf_2833_5.pcap'))
        phone.socket.send(d.payload, port, '127.0.0.1');
      const relayed = await other.waitFor(4, (p) => p.payloadType === 101);
      expect(new Set(relayed.map((p) => dtmfDigitOf(parseTelephoneEvent(p.payload).event)))).toEqual(
        new Set(['5']),
      );
    } finally {
      other.close();
    }
  });
});
