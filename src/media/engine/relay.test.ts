import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALAW_TO_ULAW, ULAW_TO_ALAW } from '../codecs/index.js';
import type { MediaEngineEvent } from './contract.js';
import { engineFixture, eventually, settingsFor, type EngineFixture } from './testing/engine-fixture.js';
import { loadPcm, RtpPeer } from './testing/rtp-peer.js';

const HELLO = '/usr/share/asterisk/sounds/en/hello-world.wav';

describe('two-party relay through a mixer', () => {
  let fx: EngineFixture;
  let alice: RtpPeer;
  let bob: RtpPeer;
  beforeEach(async () => {
    fx = engineFixture();
    alice = await RtpPeer.open();
    bob = await RtpPeer.open();
  });
  afterEach(async () => {
    alice.close();
    bob.close();
    await fx.finish();
  });

  async function bridge(codecA: 'PCMU' | 'PCMA', codecB: 'PCMU' | 'PCMA'): Promise<{ a: number; b: number }> {
    const a = await fx.engine.createRtpEndpoint('a', { bindAddress: '127.0.0.1' });
    const b = await fx.engine.createRtpEndpoint('b', { bindAddress: '127.0.0.1' });
    fx.engine.configureRtpEndpoint('a', settingsFor(alice.port, codecA));
    fx.engine.configureRtpEndpoint('b', settingsFor(bob.port, codecB));
    fx.engine.createMixer('m');
    fx.engine.joinMixer('m', 'a');
    fx.engine.joinMixer('m', 'b');
    return { a: a.port, b: b.port };
  }

  it('passes real µ-law speech both ways unchanged, under its own SSRC and a continuous sequence', async () => {
    const { a, b } = await bridge('PCMU', 'PCMU');
    const speech = loadPcm(HELLO, 8000).subarray(0, 8000);
    const [fromAlice, fromBob] = await Promise.all([
      alice.stream(a, speech, { intervalMs: 5 }),
      bob.stream(b, speech.slice().reverse(), { intervalMs: 5 }),
    ]);
    const atBob = await bob.waitFor(fromAlice.length);
    const atAlice = await alice.waitFor(fromBob.length);
    expect(atBob.map((p) => Buffer.from(p.payload).toString('hex'))).toEqual(
      fromAlice.map((p) => Buffer.from(p).toString('hex')),
    );
    expect(atAlice.map((p) => Buffer.from(p.payload).toString('hex'))).toEqual(
      fromBob.map((p) => Buffer.from(p).toString('hex')),
    );
    const stats = (await fx.engine.stats('b'))!;
    expect(new Set(atBob.map((p) => p.ssrc))).toEqual(new Set([stats.localSsrc]));
    expect(atBob[0]!.ssrc).not.toBe(alice.ssrc);
    for (let i = 1; i < atBob.length; i++) {
      expect(atBob[i]!.sequenceNumber).toBe((atBob[i - 1]!.sequenceNumber + 1) & 0xffff);
      expect(atBob[i]!.timestamp).toBe((atBob[i - 1]!.timestamp + 160) >>> 0);
    }
    expect(stats.txCount).toBe(fromAlice.length);
    expect(stats.rxCount).toBe(fromBob.length);
    // Each answer comes from the port the peer was told, so its own latching works too.
    expect(new Set(atBob.map((p) => p.from.port))).toEqual(new Set([b]));
  });

  it('transcodes PCMU to PCMA and back by table', async () => {
    const { a, b } = await bridge('PCMU', 'PCMA');
    const speech = loadPcm(HELLO, 8000).subarray(0, 4000);
    const fromAlice = await alice.stream(a, speech, { codec: 'PCMU', intervalMs: 5 });
    const fromBob = await bob.stream(b, speech, { codec: 'PCMA', intervalMs: 5 });
    const atBob = await bob.waitFor(fromAlice.length);
    const atAlice = await alice.waitFor(fromBob.length);
    expect(atBob.every((p) => p.payloadType === 8)).toBe(true);
    expect(atAlice.every((p) => p.payloadType === 0)).toBe(true);
    expect(atBob.map((p) => [...p.payload])).toEqual(
      fromAlice.map((p) => [...p].map((x) => ULAW_TO_ALAW[x]!)),
    );
    expect(atAlice.map((p) => [...p.payload])).toEqual(
      fromBob.map((p) => [...p].map((x) => ALAW_TO_ULAW[x]!)),
    );
  });

  it('latches onto the first source and ignores a second one', async () => {
    const { a } = await bridge('PCMU', 'PCMU');
    const intruder = await RtpPeer.open();
    try {
      alice.send(a, 0, new Uint8Array(160).fill(0x11));
      await bob.waitFor(1);
      intruder.send(a, 0, new Uint8Array(160).fill(0x22));
      alice.send(a, 0, new Uint8Array(160).fill(0x33));
      await bob.waitFor(2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(bob.received.map((p) => p.payload[0])).toEqual([0x11, 0x33]);
      expect((await fx.engine.stats('a'))!.rxCount).toBe(2);
    } finally {
      intruder.close();
    }
  });

  it('keeps sending to the latched source, not the address in the SDP', async () => {
    const { a, b } = await bridge('PCMU', 'PCMU');
    const nat = await RtpPeer.open(); // the peer's real address differs from what its SDP said
    try {
      nat.send(a, 0, new Uint8Array(160).fill(0x44));
      await bob.waitFor(1);
      bob.send(b, 0, new Uint8Array(160).fill(0x55));
      await nat.waitFor(1);
      expect(nat.received[0]!.payload[0]).toBe(0x55);
      expect(alice.received).toHaveLength(0);
    } finally {
      nat.close();
    }
  });

  it('drops garbage and malformed packets and keeps relaying', async () => {
    const { a } = await bridge('PCMU', 'PCMU');
    const junk = [
      Buffer.from('INVITE sip:x SIP/2.0\r\n\r\n'),
      Buffer.from([0x80]),
      Buffer.from([0x8f, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]), // 15 CSRCs promised, none there
      Buffer.from([0xa0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 200]), // padding longer than the packet
    ];
    for (const j of junk) alice.socket.send(j, a, '127.0.0.1');
    alice.send(a, 0, new Uint8Array(160).fill(0x66));
    const got = await bob.waitFor(1);
    expect(got.map((p) => p.payload[0])).toEqual([0x66]);
  });

  it('ends playbacks and pending DTMF when an endpoint is destroyed', async () => {
    await bridge('PCMU', 'PCMU');
    fx.engine.play('long', { endpoint: 'a' }, [
      { uri: 'tone:ring', items: [{ kind: 'tone', tone: 'ring' }] },
    ]);
    const dtmf = fx.engine.sendDtmf('b', '123456789');
    await alice.waitFor(3);
    await fx.engine.destroyEndpoint('a');
    await fx.engine.destroyEndpoint('b');
    await dtmf;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(
      fx.events.filter((e) => e.type === 'playback').map((e) => (e.type === 'playback' ? e.state : '')),
    ).toEqual(['playing', 'cancelled']);
  });

  it('learns the source again when a re-INVITE moves the call to a new address', async () => {
    const { a, b } = await bridge('PCMU', 'PCMU');
    alice.send(a, 0, new Uint8Array(160).fill(0x01));
    await bob.waitFor(1);
    const moved = await RtpPeer.open(); // the call moved to another device
    try {
      fx.engine.configureRtpEndpoint('a', settingsFor(moved.port));
      await new Promise((resolve) => setTimeout(resolve, 10));
      moved.send(a, 0, new Uint8Array(160).fill(0x02));
      await bob.waitFor(2);
      bob.send(b, 0, new Uint8Array(160).fill(0x03));
      await moved.waitFor(1);
      alice.send(a, 0, new Uint8Array(160).fill(0x04)); // the old device is ignored now
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(bob.received.map((p) => p.payload[0])).toEqual([0x01, 0x02]);
      expect(moved.received.map((p) => p.payload[0])).toEqual([0x03]);
    } finally {
      moved.close();
    }
  });

  it('keeps one sequence and timestamp line when a playback interrupts the relay, and after', async () => {
    const { a } = await bridge('PCMU', 'PCMU');
    const frame = (v: number): Uint8Array => new Uint8Array(160).fill(v);
    for (let i = 0; i < 5; i++) alice.send(a, 0, frame(0x10));
    await bob.waitFor(5);
    fx.engine.play('p', { endpoint: 'b' }, [{ uri: 'x', items: [{ kind: 'silence', durationMs: 100 }] }]);
    await eventually(fx.events, (e): e is MediaEngineEvent => e.type === 'playback' && e.state === 'done');
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 5; i++) alice.send(a, 0, frame(0x20));
    await bob.waitFor(15, () => true);
    const got = bob.received;
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.sequenceNumber).toBe((got[i - 1]!.sequenceNumber + 1) & 0xffff);
      expect(((got[i]!.timestamp - got[i - 1]!.timestamp) >>> 0) % 160).toBe(0);
      expect((got[i]!.timestamp - got[i - 1]!.timestamp) >>> 0).toBeGreaterThan(0);
      expect(got[i]!.ssrc).toBe(got[0]!.ssrc);
    }
    // The first relayed packet after the playback starts a talkspurt (marker bit).
    expect(got.find((p) => p.payload[0] === 0x20)!.marker).toBe(true);
  });

  it('passes reordering and a new SSRC through, keeping the order in the sequence numbers', async () => {
    const { a } = await bridge('PCMU', 'PCMU');
    const frame = (v: number): Uint8Array => new Uint8Array(160).fill(v);
    alice.send(a, 0, frame(1)); // seq n
    alice.seq = (alice.seq + 1) & 0xffff; // n+1 held back
    alice.send(a, 0, frame(3)); // n+2
    alice.seq = (alice.seq - 2) & 0xffff;
    alice.send(a, 0, frame(2)); // n+1, late
    await bob.waitFor(3);
    const [first, third, second] = bob.received;
    expect([first!.payload[0], third!.payload[0], second!.payload[0]]).toEqual([1, 3, 2]);
    expect((second!.sequenceNumber - first!.sequenceNumber) & 0xffff).toBe(1);
    expect((third!.sequenceNumber - first!.sequenceNumber) & 0xffff).toBe(2);
    alice.ssrc ^= 0x5555; // the phone restarts its stream
    alice.seq = 40000;
    alice.send(a, 0, frame(4));
    const [, , , restarted] = await bob.waitFor(4);
    expect(restarted!.ssrc).toBe(first!.ssrc);
    expect(restarted!.marker).toBe(true);
    expect(restarted!.sequenceNumber).toBe(
      (Math.max(first!.sequenceNumber, third!.sequenceNumber) + 1) & 0xffff,
    );
  });
});
