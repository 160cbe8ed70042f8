import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goertzelPower, sine } from '../codecs/testing.js';
import { engineFixture, settingsFor, type EngineFixture } from './testing/engine-fixture.js';
import { RtpPeer } from './testing/rtp-peer.js';

const CALLER_HZ = 600;
const AGENT_HZ = 1400;
const SUPERVISOR_HZ = 2000;

describe('snoop endpoints', () => {
  let fx: EngineFixture;
  const peers: Record<string, RtpPeer> = {};
  const ports: Record<string, number> = {};

  async function rtp(name: string): Promise<void> {
    peers[name] = await RtpPeer.open();
    ports[name] = (await fx.engine.createRtpEndpoint(name, { bindAddress: '127.0.0.1' })).port;
    fx.engine.configureRtpEndpoint(name, settingsFor(peers[name].port));
  }

  beforeEach(async () => {
    fx = engineFixture();
    await rtp('caller');
    await rtp('agent');
    await rtp('listener');
    fx.engine.createMixer('call');
    fx.engine.joinMixer('call', 'caller');
    fx.engine.joinMixer('call', 'agent');
  });
  afterEach(async () => {
    for (const p of Object.values(peers)) p.close();
    await fx.finish();
  });

  const heard = (name: string, hz: number): number => {
    const audio = peers[name]!.decoded();
    return goertzelPower(audio, 8000, hz, 1600, Math.min(audio.length, 6400));
  };

  async function talk(names: Record<string, number>): Promise<void> {
    await Promise.all(
      Object.entries(names).map(([name, hz]) => peers[name]!.stream(ports[name]!, sine(hz, 8000, 8000))),
    );
  }

  it("spy 'both' hears the caller and what the caller is told, and the call goes on", async () => {
    fx.engine.createSnoopEndpoint('spy', 'caller', { spy: 'both', whisper: 'none' });
    fx.engine.createMixer('monitor');
    fx.engine.joinMixer('monitor', 'spy');
    fx.engine.joinMixer('monitor', 'listener');
    await talk({ caller: CALLER_HZ, agent: AGENT_HZ });
    expect(heard('listener', CALLER_HZ)).toBeGreaterThan(1e5);
    expect(heard('listener', AGENT_HZ)).toBeGreaterThan(1e5);
    expect(heard('caller', AGENT_HZ)).toBeGreaterThan(1e5);
    expect(heard('agent', CALLER_HZ)).toBeGreaterThan(1e5);
    await fx.engine.destroyEndpoint('spy');
    fx.engine.destroyMixer('monitor');
  });

  it("spy 'in' hears only the caller", async () => {
    fx.engine.createSnoopEndpoint('spy', 'caller', { spy: 'in', whisper: 'none' });
    fx.engine.createMixer('monitor');
    fx.engine.joinMixer('monitor', 'spy');
    fx.engine.joinMixer('monitor', 'listener');
    await talk({ caller: CALLER_HZ, agent: AGENT_HZ });
    expect(heard('listener', CALLER_HZ)).toBeGreaterThan(1e5);
    expect(heard('listener', AGENT_HZ)).toBeLessThan(1e-3 * heard('listener', CALLER_HZ));
    await fx.engine.destroyEndpoint('spy');
    fx.engine.destroyMixer('monitor');
  });

  it("whisper 'out' reaches the agent and not the caller", async () => {
    // The supervisor ('listener') whispers to the agent through a snoop on the agent.
    fx.engine.createSnoopEndpoint('whisper', 'agent', { spy: 'none', whisper: 'out' });
    fx.engine.createMixer('coach');
    fx.engine.joinMixer('coach', 'whisper');
    fx.engine.joinMixer('coach', 'listener');
    await talk({ caller: CALLER_HZ, agent: AGENT_HZ, listener: SUPERVISOR_HZ });
    expect(heard('agent', SUPERVISOR_HZ)).toBeGreaterThan(1e5);
    expect(heard('agent', CALLER_HZ)).toBeGreaterThan(1e5);
    expect(heard('caller', AGENT_HZ)).toBeGreaterThan(1e5);
    expect(heard('caller', SUPERVISOR_HZ)).toBeLessThan(1e-3 * heard('caller', AGENT_HZ));
    // The snoop spies on nothing: the supervisor hears silence from it.
    expect(heard('listener', AGENT_HZ)).toBeLessThan(1e3);
    await fx.engine.destroyEndpoint('whisper');
    fx.engine.destroyMixer('coach');
  });

  it('a snoop outlives its target quietly', async () => {
    fx.engine.createSnoopEndpoint('spy', 'caller', { spy: 'both', whisper: 'both' });
    fx.engine.leaveMixer('call', 'caller');
    await fx.engine.destroyEndpoint('caller');
    expect((await fx.engine.counts()).endpoints).toBe(3);
    await fx.engine.destroyEndpoint('spy');
  });
});
