import { describe, expect, it } from 'vitest';
import { bestCorrelation } from '../codecs/testing.js';
import type { MediaEngineEvent } from './contract.js';
import { createMediaEngine, MediaEngineError } from './index.js';
import { eventually, settingsFor } from './testing/engine-fixture.js';
import { loadPcm, RtpPeer } from './testing/rtp-peer.js';

const HELLO = '/usr/share/asterisk/sounds/en/hello-world.wav';

describe('the media engine in a worker thread', () => {
  it('relays, plays a file, reports events and typed errors, and leaves nothing behind', async () => {
    const base = 20000 + 2 * Math.floor(Math.random() * 10000);
    const logs: string[] = [];
    const engine = createMediaEngine({ rtpPortMin: base, rtpPortMax: base + 100, log: (m) => logs.push(m) });
    const events: MediaEngineEvent[] = [];
    engine.on((e) => events.push(e));
    const alice = await RtpPeer.open();
    const bob = await RtpPeer.open();
    try {
      const a = await engine.createRtpEndpoint('a', { bindAddress: '127.0.0.1' });
      const b = await engine.createRtpEndpoint('b', { bindAddress: '127.0.0.1' });
      expect(a.port % 2).toBe(0);
      expect(b.port).not.toBe(a.port);
      await expect(engine.createRtpEndpoint('a', { bindAddress: '127.0.0.1' })).rejects.toMatchObject({
        code: 'ENDPOINT_EXISTS',
      });
      await expect(engine.sendDtmf('nobody', '1')).rejects.toBeInstanceOf(MediaEngineError);
      engine.configureRtpEndpoint('a', settingsFor(alice.port));
      engine.configureRtpEndpoint('b', settingsFor(bob.port));

      engine.play('hello', { endpoint: 'a' }, [
        { uri: 'sound:hello-world', items: [{ kind: 'file', path: HELLO }] },
      ]);
      await eventually(events, (e): e is MediaEngineEvent => e.type === 'playback' && e.state === 'done');
      const reference = loadPcm(HELLO, 8000);
      expect(
        bestCorrelation(reference, alice.decoded().subarray(0, reference.length), 2).correlation,
      ).toBeGreaterThan(0.99);

      engine.createMixer('m');
      engine.joinMixer('m', 'a');
      engine.joinMixer('m', 'b');
      engine.joinMixer('m', 'ghost');
      await engine.counts(); // a round trip: the joins are done
      bob.send(b.port, 0, new Uint8Array(160).fill(0x5a));
      const relayed = await alice.waitFor(1, (p) => p.payload[0] === 0x5a);
      expect(relayed[0]!.ssrc).toBe((await engine.stats('a'))!.localSsrc);
      expect(logs.some((l) => l.includes('ghost'))).toBe(true);

      engine.destroyMixer('m');
      expect(await engine.destroyEndpoint('a')).toMatchObject({
        txCount: relayed.length + Math.ceil(reference.length / 160),
      });
      await engine.destroyEndpoint('b');
      expect(await engine.counts()).toEqual({
        endpoints: 0,
        mixers: 0,
        playbacks: 0,
        recordings: 0,
        ports: 0,
      });
    } finally {
      alice.close();
      bob.close();
      await engine.close();
    }
    await expect(engine.counts()).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });
});
