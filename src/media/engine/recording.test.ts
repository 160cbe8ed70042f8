import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWav, wavToPcm16Mono } from '../codecs/index.js';
import { bestCorrelation, goertzelPower, sine, windowedCorrelation } from '../codecs/testing.js';
import { readPcapUdp } from '../rtp/testing/pcap.js';
import type { MediaEngineEvent } from './contract.js';
import { engineFixture, eventually, settingsFor, type EngineFixture } from './testing/engine-fixture.js';
import { loadPcm, RtpPeer, sleep } from './testing/rtp-peer.js';

const HELLO = '/usr/share/asterisk/sounds/en/hello-world.wav';
const dir = mkdtempSync(path.join(tmpdir(), 'hotline-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type RecordingEvent = Extract<MediaEngineEvent, { type: 'recording' }>;
const ended =
  (name: string) =>
  (e: MediaEngineEvent): e is RecordingEvent =>
    e.type === 'recording' && e.recording === name && ['done', 'failed', 'cancelled'].includes(e.state);

describe('recording', () => {
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

  it('records what the caller says to a valid WAV of exactly the maximum duration', async () => {
    const file = path.join(dir, 'hello.wav');
    fx.engine.startRecording('r1', { endpoint: 'call' }, { path: file, format: 'wav', maxDurationMs: 1000 });
    const speech = loadPcm(HELLO, 8000);
    await phone.stream(port, speech.subarray(0, 9600));
    const done = await eventually(fx.events, ended('r1'));
    expect(done).toMatchObject({ state: 'done', cause: 'max-duration', durationMs: 1000 });
    expect(done.talkingMs).toBeGreaterThan(0);
    const wav = readWav(readFileSync(file));
    expect(wav).toMatchObject({ encoding: 'pcm16', sampleRate: 8000, channels: 1 });
    const recorded = wavToPcm16Mono(wav);
    expect(recorded.length).toBe(8000);
    // The jitter buffer delays by a few frames (and conceals a late packet under load); the
    // speech is the same.
    const { lag } = bestCorrelation(speech.subarray(0, 6000), recorded.subarray(0, 7000), 800);
    expect(windowedCorrelation(speech.subarray(0, 6000), recorded, lag, 160)).toBeGreaterThan(0.9);
    expect(fx.events.filter((e) => e.type === 'recording').map((e) => e.state)).toEqual([
      'recording',
      'done',
    ]);
  });

  it('stops on a terminating DTMF digit, and on silence after speech', async () => {
    fx.engine.startRecording(
      'dtmf',
      { endpoint: 'call' },
      { path: path.join(dir, 'dtmf.ulaw'), format: 'ulaw', terminateOn: '#' },
    );
    await sleep(100);
    for (const d of readPcapUdp('/usr/share/sip-tester/dtmf_2833_pound.pcap'))
      phone.socket.send(d.payload, port, '127.0.0.1');
    expect(await eventually(fx.events, ended('dtmf'))).toMatchObject({ state: 'done', cause: 'dtmf' });
    expect(statSync(path.join(dir, 'dtmf.ulaw')).size % 160).toBe(0);

    fx.engine.startRecording(
      'quiet',
      { endpoint: 'call' },
      { path: path.join(dir, 'quiet.wav'), format: 'wav16', maxSilenceMs: 300 },
    );
    await phone.stream(port, new Int16Array([...sine(400, 8000, 2400, 8000), ...new Int16Array(8000)]));
    const quiet = await eventually(fx.events, ended('quiet'));
    expect(quiet).toMatchObject({ state: 'done', cause: 'max-silence' });
    expect(readWav(readFileSync(path.join(dir, 'quiet.wav'))).sampleRate).toBe(16000);
  });

  it('throws the file away when stopped with discard, and pauses without counting time', async () => {
    const file = path.join(dir, 'discard.wav');
    fx.engine.startRecording('d', { endpoint: 'call' }, { path: file, format: 'wav' });
    await sleep(100);
    fx.engine.pauseRecording('d');
    await sleep(200);
    fx.engine.unpauseRecording('d');
    fx.engine.stopRecording('d', { discard: true });
    const end = await eventually(fx.events, ended('d'));
    expect(end.state).toBe('cancelled');
    expect(end.durationMs).toBeLessThan(200);
    expect(existsSync(file)).toBe(false);
    expect(fx.events.filter((e) => e.type === 'recording').map((e) => e.state)).toEqual([
      'recording',
      'paused',
      'recording',
      'cancelled',
    ]);
  });

  it('beeps to the caller before recording starts', async () => {
    fx.engine.startRecording(
      'b',
      { endpoint: 'call' },
      { path: path.join(dir, 'beep.wav'), format: 'wav', beep: true, maxDurationMs: 200 },
    );
    await eventually(fx.events, ended('b'));
    const heard = phone.decoded();
    expect(goertzelPower(heard, 8000, 1000, 0, 1600)).toBeGreaterThan(1e5);
    expect(fx.events.some((e) => e.type === 'playback')).toBe(false);
  });

  it('records a two-party bridge: both voices in one file', async () => {
    const agent = await RtpPeer.open();
    try {
      const agentPort = (await fx.engine.createRtpEndpoint('agent', { bindAddress: '127.0.0.1' })).port;
      fx.engine.configureRtpEndpoint('agent', settingsFor(agent.port));
      fx.engine.createMixer('m');
      fx.engine.joinMixer('m', 'call');
      fx.engine.joinMixer('m', 'agent');
      const file = path.join(dir, 'bridge.wav');
      fx.engine.startRecording('br', { mixer: 'm' }, { path: file, format: 'wav', maxDurationMs: 800 });
      await Promise.all([
        phone.stream(port, sine(600, 8000, 8000)),
        agent.stream(agentPort, sine(1400, 8000, 8000)),
      ]);
      await eventually(fx.events, ended('br'));
      const recorded = wavToPcm16Mono(readWav(readFileSync(file)));
      expect(goertzelPower(recorded, 8000, 600, 1600)).toBeGreaterThan(1e5);
      expect(goertzelPower(recorded, 8000, 1400, 1600)).toBeGreaterThan(1e5);
      // The relay kept working while recording.
      expect(agent.received.length).toBeGreaterThan(40);
    } finally {
      agent.close();
      await fx.engine.destroyEndpoint('agent');
      fx.engine.destroyMixer('m');
    }
  });

  it('fails a recording it cannot write, with the reason', async () => {
    const notADirectory = path.join(dir, 'plain-file');
    writeFileSync(notADirectory, 'x');
    fx.engine.startRecording(
      'bad',
      { endpoint: 'call' },
      { path: path.join(notADirectory, 'x.wav'), format: 'wav' },
    );
    const end = await eventually(fx.events, ended('bad'));
    expect(end.state).toBe('failed');
    expect(end.cause).toMatch(/cannot write/);
  });
});
