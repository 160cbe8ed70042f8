import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bestCorrelation } from '../codecs/testing.js';
import type { MediaEngineEvent } from './contract.js';
import { engineFixture, eventually, settingsFor, type EngineFixture } from './testing/engine-fixture.js';
import { loadPcm, RtpPeer } from './testing/rtp-peer.js';

const SOUNDS = '/usr/share/asterisk/sounds/en';
const HELLO = `${SOUNDS}/hello-world.wav`;

type PlaybackEvent = Extract<MediaEngineEvent, { type: 'playback' }>;
const playbackEvents = (events: MediaEngineEvent[], id: string): PlaybackEvent[] =>
  events.filter((e): e is PlaybackEvent => e.type === 'playback' && e.playback === id);
const finished =
  (id: string) =>
  (e: MediaEngineEvent): e is PlaybackEvent =>
    e.type === 'playback' && e.playback === id && ['done', 'failed', 'cancelled'].includes(e.state);

describe('playback to an endpoint', () => {
  let fx: EngineFixture;
  let phone: RtpPeer;
  beforeEach(async () => {
    fx = engineFixture();
    phone = await RtpPeer.open();
    await fx.engine.createRtpEndpoint('call', { bindAddress: '127.0.0.1' });
    fx.engine.configureRtpEndpoint('call', settingsFor(phone.port));
  });
  afterEach(async () => {
    phone.close();
    await fx.finish();
  });

  it('plays a WAV prompt as one 20 ms packet per 160 samples and reports playing, then done', async () => {
    fx.engine.play('p1', { endpoint: 'call' }, [
      { uri: 'sound:hello-world', items: [{ kind: 'file', path: HELLO }] },
    ]);
    await eventually(fx.events, finished('p1'));
    expect(playbackEvents(fx.events, 'p1').map((e) => e.state)).toEqual(['playing', 'done']);
    const reference = loadPcm(HELLO, 8000);
    expect(phone.received).toHaveLength(Math.ceil(reference.length / 160));
    for (let i = 1; i < phone.received.length; i++) {
      expect(phone.received[i]!.sequenceNumber).toBe((phone.received[i - 1]!.sequenceNumber + 1) & 0xffff);
      expect(phone.received[i]!.timestamp).toBe((phone.received[i - 1]!.timestamp + 160) >>> 0);
    }
    expect(phone.received[0]!.marker).toBe(true);
    const heard = phone.decoded('PCMU');
    expect(bestCorrelation(reference, heard.subarray(0, reference.length), 2).correlation).toBeGreaterThan(
      0.99,
    );
  });

  it('plays a playlist in order, reporting continuing for each next entry', async () => {
    fx.engine.play('p2', { endpoint: 'call' }, [
      { uri: 'tone:beep', items: [{ kind: 'tone', tone: '1000/100', durationMs: 100 }] },
      {
        uri: 'digits:12',
        items: [
          { kind: 'file', path: `${SOUNDS}/digits/1.wav` },
          { kind: 'file', path: `${SOUNDS}/digits/2.wav` },
        ],
      },
      { uri: 'silence', items: [{ kind: 'silence', durationMs: 100 }] },
    ]);
    await eventually(fx.events, finished('p2'));
    expect(playbackEvents(fx.events, 'p2').map((e) => [e.state, e.index])).toEqual([
      ['playing', 0],
      ['continuing', 1],
      ['continuing', 2],
      ['done', 2],
    ]);
    const samples =
      800 +
      loadPcm(`${SOUNDS}/digits/1.wav`, 8000).length +
      loadPcm(`${SOUNDS}/digits/2.wav`, 8000).length +
      800;
    expect(Math.abs(phone.received.length - samples / 160)).toBeLessThanOrEqual(2);
  });

  it('queues a second playback on the same target until the first ends', async () => {
    const item = [{ uri: 'x', items: [{ kind: 'silence' as const, durationMs: 200 }] }];
    fx.engine.play('first', { endpoint: 'call' }, item);
    fx.engine.play('second', { endpoint: 'call' }, item);
    await eventually(fx.events, finished('second'));
    const order = fx.events.filter((e) => e.type === 'playback').map((e) => `${e.playback}:${e.state}`);
    expect(order).toEqual(['first:playing', 'first:done', 'second:playing', 'second:done']);
  });

  it('stops a playback (cancelled) and dequeues a waiting one', async () => {
    const long = [{ uri: 'x', items: [{ kind: 'tone' as const, tone: 'ring' }] }];
    fx.engine.play('ringing', { endpoint: 'call' }, long);
    fx.engine.play('waiting', { endpoint: 'call' }, long);
    await phone.waitFor(5);
    fx.engine.stopPlayback('waiting');
    fx.engine.stopPlayback('ringing');
    await eventually(fx.events, finished('ringing'));
    expect(playbackEvents(fx.events, 'waiting').map((e) => e.state)).toEqual(['cancelled']);
    expect(playbackEvents(fx.events, 'ringing').map((e) => e.state)).toEqual(['playing', 'cancelled']);
    expect((await fx.engine.counts()).playbacks).toBe(0);
  });

  it('fails a playback whose file cannot be read, and one on an unknown target', async () => {
    fx.engine.play('missing', { endpoint: 'call' }, [
      { uri: 'sound:nope', items: [{ kind: 'file', path: '/nonexistent.wav' }] },
    ]);
    fx.engine.play('nowhere', { endpoint: 'ghost' }, [
      { uri: 'sound:x', items: [{ kind: 'silence', durationMs: 20 }] },
    ]);
    await eventually(fx.events, finished('missing'));
    await eventually(fx.events, finished('nowhere'));
    expect(playbackEvents(fx.events, 'missing').map((e) => e.state)).toEqual(['failed']);
    expect(playbackEvents(fx.events, 'nowhere').map((e) => e.state)).toEqual(['failed']);
  });

  it('starts at offsetMs into the media', async () => {
    fx.engine.play(
      'late',
      { endpoint: 'call' },
      [{ uri: 'sound:hello-world', items: [{ kind: 'file', path: HELLO }] }],
      {
        offsetMs: 1000,
      },
    );
    await eventually(fx.events, finished('late'));
    const reference = loadPcm(HELLO, 8000);
    expect(phone.received).toHaveLength(Math.ceil((reference.length - 8000) / 160));
    const heard = phone.decoded('PCMU');
    expect(
      bestCorrelation(reference.subarray(8000), heard.subarray(0, reference.length - 8000), 2).correlation,
    ).toBeGreaterThan(0.99);
  });

  it('plays a 16 kHz G.722 prompt file downsampled to the 8 kHz call', async () => {
    fx.engine.play('g722', { endpoint: 'call' }, [
      { uri: 'sound:hello-world', items: [{ kind: 'file', path: `${SOUNDS}/hello-world.g722` }] },
    ]);
    await eventually(fx.events, finished('g722'));
    const reference = loadPcm(HELLO, 8000);
    const heard = phone.decoded('PCMU');
    expect(Math.abs(heard.length - reference.length)).toBeLessThanOrEqual(160);
    expect(bestCorrelation(reference, heard.subarray(0, reference.length), 40).correlation).toBeGreaterThan(
      0.7,
    );
  });
});
