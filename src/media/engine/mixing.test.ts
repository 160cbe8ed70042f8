import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goertzelPower, sine } from '../codecs/testing.js';
import { engineFixture, settingsFor, type EngineFixture } from './testing/engine-fixture.js';
import { RtpPeer } from './testing/rtp-peer.js';

const TONES = { a: 500, b: 1100, c: 1700 } as const;
type Name = keyof typeof TONES;

describe('mixing three or more', () => {
  let fx: EngineFixture;
  const peers = {} as Record<Name, RtpPeer>;
  const ports = {} as Record<Name, number>;
  beforeEach(async () => {
    fx = engineFixture();
    fx.engine.createMixer('conf');
    for (const name of Object.keys(TONES) as Name[]) {
      peers[name] = await RtpPeer.open();
      ports[name] = (await fx.engine.createRtpEndpoint(name, { bindAddress: '127.0.0.1' })).port;
      fx.engine.configureRtpEndpoint(name, settingsFor(peers[name].port, name === 'c' ? 'PCMA' : 'PCMU'));
      fx.engine.joinMixer('conf', name);
    }
  });
  afterEach(async () => {
    for (const p of Object.values(peers)) p.close();
    await fx.finish();
  });

  function power(heard: Int16Array, hz: number): number {
    // Skip the first 200 ms (jitter buffer filling), measure the steady part.
    return goertzelPower(heard, 8000, hz, 1600, Math.min(heard.length, 6400));
  }

  it('lets each member hear the others and not itself', async () => {
    await Promise.all(
      (Object.keys(TONES) as Name[]).map((name) =>
        peers[name].stream(ports[name], sine(TONES[name], 8000, 8000, 6000), {
          codec: name === 'c' ? 'PCMA' : 'PCMU',
        }),
      ),
    );
    for (const name of Object.keys(TONES) as Name[]) {
      const heard = peers[name].decoded(name === 'c' ? 'PCMA' : 'PCMU');
      expect(heard.length).toBeGreaterThan(6400);
      const own = power(heard, TONES[name]);
      for (const other of Object.keys(TONES) as Name[]) {
        if (other === name) continue;
        const theirs = power(heard, TONES[other]);
        expect(theirs).toBeGreaterThan(100 * own);
      }
    }
  });

  it('protects against clipping when loud members add up', async () => {
    const loud = (hz: number): Int16Array => sine(hz, 8000, 4000, 30000);
    await Promise.all([
      peers.a.stream(ports.a, loud(500)),
      peers.b.stream(ports.b, loud(500)),
      peers.c.stream(ports.c, new Int16Array(4000), { codec: 'PCMA' }),
    ]);
    const heard = peers.c.decoded('PCMA');
    // 30000 + 30000 would wrap around to negative values without saturation.
    let wrapped = 0;
    for (let i = 1600; i < Math.min(heard.length, 3200); i++)
      if (Math.abs(heard[i]!) < 1000 && Math.abs(heard[i - 1]!) > 25000) wrapped++;
    expect(Math.max(...heard.subarray(1600, 3200))).toBeGreaterThan(30000);
    expect(wrapped).toBe(0);
  });

  it('mixes a playback to the bridge into what every member hears', async () => {
    fx.engine.play('announce', { mixer: 'conf' }, [
      { uri: 'tone:x', items: [{ kind: 'tone', tone: '2300', durationMs: 600 }] },
    ]);
    await peers.a.stream(ports.a, sine(TONES.a, 8000, 4800, 6000));
    const heardByB = peers.b.decoded('PCMU');
    const heardByA = peers.a.decoded('PCMU');
    expect(goertzelPower(heardByB, 8000, 2300, 0, 3200)).toBeGreaterThan(1e5);
    expect(goertzelPower(heardByA, 8000, 2300, 0, 3200)).toBeGreaterThan(1e5);
  });
});
