import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bestCorrelation, goertzelPower, rms, sine, windowedCorrelation } from '../codecs/testing.js';
import type { MediaEngineEvent } from './contract.js';
import { engineFixture, eventually, settingsFor, type EngineFixture } from './testing/engine-fixture.js';
import { loadPcm, RtpPeer, sleep } from './testing/rtp-peer.js';

const SOUNDS = '/usr/share/asterisk/sounds/en';
type TalkingEvent = Extract<MediaEngineEvent, { type: 'talking' }>;

describe('engine features on a live endpoint', () => {
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

  it('reports talking when the caller speaks and finished after the silence, with the talk duration', async () => {
    fx.engine.setTalkDetection('call', { silenceMs: 300 });
    await phone.stream(port, new Int16Array([...sine(400, 8000, 3200, 6000), ...new Int16Array(6400)]));
    const finished = await eventually(
      fx.events,
      (e): e is TalkingEvent => e.type === 'talking' && !e.talking,
    );
    const talking = fx.events.filter((e): e is TalkingEvent => e.type === 'talking');
    expect(talking.map((e) => e.talking)).toEqual([true, false]);
    expect(finished.durationMs).toBeGreaterThanOrEqual(360);
    expect(finished.durationMs).toBeLessThanOrEqual(440);
    fx.engine.setTalkDetection('call', null);
  });

  it('loops music on hold past the end of its file until stopped', async () => {
    const file = `${SOUNDS}/vm-goodbye.wav`;
    const fileFrames = Math.ceil(loadPcm(file, 8000).length / 160);
    fx.engine.startMusicOnHold({ endpoint: 'call' }, [file]);
    await phone.waitFor(fileFrames + 20);
    fx.engine.stopMusicOnHold({ endpoint: 'call' });
    await sleep(60);
    const count = phone.received.length;
    await sleep(200);
    expect(phone.received.length).toBe(count);
  });

  it('plays a tone until stopped, the bridge audio coming back after it', async () => {
    fx.engine.startTone({ endpoint: 'call' }, 'ring');
    await phone.waitFor(25);
    fx.engine.stopTone({ endpoint: 'call' });
    const heard = phone.decoded();
    expect(goertzelPower(heard, 8000, 440, 0, 3200)).toBeGreaterThan(1e5);
    await sleep(60);
    const count = phone.received.length;
    await sleep(200);
    expect(phone.received.length).toBe(count);
  });

  it('forwards 3 s into a playback when told to, and pauses with silence', async () => {
    const file = `${SOUNDS}/tt-monkeys.wav`;
    const reference = loadPcm(file, 8000);
    fx.engine.play('p', { endpoint: 'call' }, [
      { uri: 'sound:tt-monkeys', items: [{ kind: 'file', path: file }] },
    ]);
    await phone.waitFor(10);
    fx.engine.controlPlayback('p', 'forward');
    await sleep(300);
    fx.engine.controlPlayback('p', 'pause');
    await sleep(200);
    fx.engine.stopPlayback('p');
    await eventually(
      fx.events,
      (e): e is MediaEngineEvent => e.type === 'playback' && e.state === 'cancelled',
    );
    const heard = phone.decoded();
    const received = heard.length;
    // What was heard is shorter than the jump: it came from more than 3 s into the file.
    expect(received).toBeLessThan(24000);
    const tail = heard.subarray(
      received - 8000 < 0 ? 0 : Math.max(0, received - 2400 - 1600),
      Math.max(0, received - 2400),
    );
    const at3s = bestCorrelation(tail, reference.subarray(24000, 24000 + 8000), 8000);
    expect(at3s.correlation).toBeGreaterThan(0.9);
    // While paused, the frames sent are silence.
    expect(rms(heard, received - 800, received)).toBe(0);
  });

  it('mutes what the caller says (in) and what it is sent (out)', async () => {
    const other = await RtpPeer.open();
    try {
      const otherPort = (await fx.engine.createRtpEndpoint('other', { bindAddress: '127.0.0.1' })).port;
      fx.engine.configureRtpEndpoint('other', settingsFor(other.port));
      fx.engine.createMixer('m');
      fx.engine.joinMixer('m', 'call');
      fx.engine.joinMixer('m', 'other');
      fx.engine.setMute('call', { in: true, out: false });
      await sleep(10);
      phone.send(port, 0, new Uint8Array(160).fill(1));
      other.send(otherPort, 0, new Uint8Array(160).fill(2));
      await phone.waitFor(1);
      fx.engine.setMute('call', { in: false, out: true });
      await sleep(10);
      other.send(otherPort, 0, new Uint8Array(160).fill(3));
      phone.send(port, 0, new Uint8Array(160).fill(4));
      await other.waitFor(1);
      await sleep(50);
      expect(other.received.map((p) => p.payload[0])).toEqual([4]);
      expect(phone.received.map((p) => p.payload[0])).toEqual([2]);
    } finally {
      other.close();
      await fx.engine.destroyEndpoint('other');
      fx.engine.destroyMixer('m');
    }
  });
});

describe('wideband', () => {
  let fx: EngineFixture;
  beforeEach(() => {
    fx = engineFixture();
  });
  afterEach(async () => {
    await fx.finish();
  });

  it('bridges a G.722 phone with a PCMU phone, decoding, resampling and re-encoding both ways', async () => {
    const wide = await RtpPeer.open();
    const narrow = await RtpPeer.open();
    try {
      const widePort = (await fx.engine.createRtpEndpoint('wide', { bindAddress: '127.0.0.1' })).port;
      const narrowPort = (await fx.engine.createRtpEndpoint('narrow', { bindAddress: '127.0.0.1' })).port;
      fx.engine.configureRtpEndpoint('wide', settingsFor(wide.port, 'G722'));
      fx.engine.configureRtpEndpoint('narrow', settingsFor(narrow.port, 'PCMU'));
      fx.engine.createMixer('m');
      fx.engine.joinMixer('m', 'wide');
      fx.engine.joinMixer('m', 'narrow');
      const speech16 = loadPcm(`${SOUNDS}/hello-world.wav`, 16000).subarray(0, 16000);
      const speech8 = loadPcm(`${SOUNDS}/hello-world.wav`, 8000).subarray(0, 8000);
      await Promise.all([
        wide.stream(widePort, speech16, { codec: 'G722' }),
        narrow.stream(narrowPort, speech8),
      ]);
      await sleep(100);
      const atNarrow = narrow.decoded('PCMU');
      const atWide = wide.decoded('G722');
      expect(narrow.received.every((p) => p.payloadType === 0)).toBe(true);
      expect(wide.received.every((p) => p.payloadType === 9 && p.payload.length === 160)).toBe(true);
      // Windowed: a late packet under load makes the jitter buffer conceal and shift a little.
      const narrowLag = bestCorrelation(speech8.subarray(800, 6400), atNarrow, 1600).lag;
      const wideLag = bestCorrelation(speech16.subarray(1600, 12800), atWide, 3200).lag;
      expect(windowedCorrelation(speech8.subarray(800, 6400), atNarrow, narrowLag, 400)).toBeGreaterThan(0.8);
      expect(windowedCorrelation(speech16.subarray(1600, 12800), atWide, wideLag, 800, 1600)).toBeGreaterThan(
        0.8,
      );
    } finally {
      wide.close();
      narrow.close();
    }
  });
});

describe('fault isolation', () => {
  it('reports an endpoint that fails on the media clock and keeps the others playing', async () => {
    const logs: string[] = [];
    const base = 20000 + 2 * Math.floor(Math.random() * 10000);
    const { LocalMediaEngine } = await import('./engine.js');
    const engine = new LocalMediaEngine({
      rtpPortMin: base,
      rtpPortMax: base + 100,
      log: (m) => logs.push(m),
    });
    const events: MediaEngineEvent[] = [];
    engine.on((e) => events.push(e));
    const good = await RtpPeer.open();
    const bad = await RtpPeer.open();
    try {
      await engine.createRtpEndpoint('good', { bindAddress: '127.0.0.1' });
      await engine.createRtpEndpoint('bad', { bindAddress: '127.0.0.1' });
      engine.configureRtpEndpoint('good', settingsFor(good.port));
      // A codec the engine has no encoder for: sending a frame throws inside the tick.
      engine.configureRtpEndpoint('bad', { ...settingsFor(bad.port), codec: 'OPUS' as never });
      const item = [{ uri: 'x', items: [{ kind: 'silence' as const, durationMs: 200 }] }];
      engine.play('b', { endpoint: 'bad' }, item);
      engine.play('g', { endpoint: 'good' }, item);
      await eventually(
        events,
        (e): e is MediaEngineEvent => e.type === 'playback' && e.playback === 'g' && e.state === 'done',
      );
      expect(good.received.length).toBeGreaterThanOrEqual(9);
      expect(logs.some((l) => l.includes('fault in endpoint bad'))).toBe(true);
    } finally {
      good.close();
      bad.close();
      await engine.close();
    }
    expect(await engine.counts()).toEqual({ endpoints: 0, mixers: 0, playbacks: 0, recordings: 0, ports: 0 });
  });
});
