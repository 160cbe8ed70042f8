// A call's transcription above a fake of our ForkAri interface (real RTP over loopback into the
// real receiver) and the websocket provider against a local Vosk-protocol server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { WebsocketProvider } from './providers/websocket.js';
import type { TranscriptSegment } from './segment.js';
import { CallTranscription, type SessionDeps } from './session.js';
import { concat, silence } from './testing/audio.js';
import { FakeForkAri } from './testing/fake-fork-ari.js';
import { startFakeVosk, tone, type FakeVoskServer } from './testing/vosk-server.js';

describe('a call’s transcription', () => {
  let vosk: FakeVoskServer;
  let ari: FakeForkAri;
  let published: TranscriptSegment[];
  let reports: [string, Record<string, unknown>][];
  let deps: SessionDeps;

  beforeEach(async () => {
    vosk = await startFakeVosk({ pauseMs: 300 });
    ari = new FakeForkAri();
    published = [];
    reports = [];
    deps = {
      ari,
      fork: {
        bindAddress: '127.0.0.1',
        advertiseAddress: '127.0.0.1',
        portMin: 0,
        portMax: 0,
        wideband: 'auto',
      },
      sink: { publish: (s) => Promise.resolve(void published.push(s)) },
      report: (_callId, type, data) => reports.push([type, data]),
      log: silentLogger,
    };
  });
  afterEach(async () => {
    ari.close();
    await vosk.close();
  });

  function call(startedAt = Date.now()) {
    return new CallTranscription(deps, {
      callId: 'call-1',
      startedAt,
      language: 'en-US',
      provider: new WebsocketProvider({ servers: { 'en-US': vosk.url }, chunkMs: 100 }),
      parties: [
        { party: 'caller', channelId: 'ch-caller' },
        { party: 'agent', channelId: 'ch-agent' },
      ],
    });
  }

  it('forks each party, publishes its segments on the call’s clock, and leaves nothing behind', async () => {
    ari.audio.set('ch-caller', concat([silence(200, 16000), tone(800, 16000), silence(600, 16000)]));
    ari.audio.set('ch-agent', concat([silence(400, 16000), tone(400, 16000), silence(600, 16000)]));
    ari.wideband.add('ch-agent');
    const startedAt = Date.now() - 5000;
    const session = call(startedAt);
    await session.start();
    await ari.sent();
    await session.stop();

    expect(ari.calls.filter((c) => c.startsWith('externalMedia'))).toEqual([
      'externalMedia ulaw',
      'externalMedia slin16',
    ]);
    const finals = published.filter((s) => s.final);
    const caller = finals.filter((s) => s.party === 'caller');
    const agent = finals.filter((s) => s.party === 'agent');
    expect(caller).toHaveLength(1);
    expect(agent).toHaveLength(1);
    // The fork started about 5 s into the call: times count from the call's start.
    expect(caller[0]!.startMs).toBeGreaterThanOrEqual(5000 + 200);
    expect(caller[0]!.endMs - caller[0]!.startMs).toBe(800);
    expect(agent[0]!.endMs - agent[0]!.startMs).toBe(400);
    expect(
      finals.every((s) => s.callId === 'call-1' && s.language === 'en-US' && s.provider === 'websocket'),
    ).toBe(true);
    expect(caller[0]!.seq).toBe(0);
    // Interims carry the number their final will have.
    const interims = published.filter((s) => !s.final && s.party === 'caller');
    expect(interims.length).toBeGreaterThan(0);
    expect(interims.every((s) => s.seq === 0)).toBe(true);
    // One config per party at its rate: 8 kHz for the G.711 leg, 16 kHz for the wideband one.
    expect(vosk.connections.map((c) => c.config!.sample_rate).sort()).toEqual([16000, 8000]);
    expect(reports.filter(([t]) => t === 'transcription.started')).toHaveLength(2);
    expect(ari.live.size).toBe(0);
    expect(ari.bridges.size).toBe(0);
    expect(vosk.connections.every((c) => c.gotEof)).toBe(true);
  });

  it('asks for ulaw when the server refuses slin16', async () => {
    ari.wideband.add('ch-caller');
    ari.refuse.add('externalMedia slin16');
    const session = call();
    await session.start();
    await session.stop();
    expect(ari.calls.filter((c) => c.startsWith('externalMedia'))).toEqual([
      'externalMedia slin16',
      'externalMedia ulaw',
      'externalMedia ulaw',
    ]);
    expect(reports.filter(([t]) => t === 'transcription.started').map(([, d]) => d.format)).toEqual([
      'ulaw',
      'ulaw',
    ]);
  });

  it('reports a party whose fork fails and still transcribes the other', async () => {
    ari.refuse.add('snoop ch-agent');
    ari.audio.set('ch-caller', concat([tone(500, 16000), silence(600, 16000)]));
    const session = call();
    await session.start();
    await ari.sent();
    await session.stop();
    expect(reports.find(([t]) => t === 'transcription.failed')).toEqual([
      'transcription.failed',
      { party: 'agent', code: 'TRANSCRIPTION_FORK_FAILED', message: expect.stringContaining('404') },
    ]);
    expect(published.filter((s) => s.final).map((s) => s.party)).toEqual(['caller']);
    expect([...ari.live]).toEqual([]);
  });

  it('ends a party’s stream when that party hangs up, keeping what was said', async () => {
    ari.audio.set('ch-agent', concat([tone(500, 16000), silence(600, 16000)]));
    const session = call();
    await session.start();
    await ari.sent();
    ari.hangUpParty('ch-agent');
    // The agent's recogniser got its end of audio and the fork's channels are gone.
    await expect.poll(() => vosk.connections.filter((c) => c.gotEof).length).toBe(1);
    expect(published.filter((s) => s.final).map((s) => s.party)).toEqual(['agent']);
    await session.stop();
    expect(ari.live.size).toBe(0);
  });

  it('reports a recogniser that fails during the call', async () => {
    await vosk.close();
    vosk = await startFakeVosk({ crashAfterMessages: 2 });
    ari.audio.set('ch-caller', tone(1000, 16000));
    const session = call();
    await session.start();
    await ari.sent();
    await session.stop();
    expect(reports.filter(([t]) => t === 'transcription.error').map(([, d]) => [d.party, d.code])).toEqual([
      ['caller', 'TRANSCRIPTION_PROVIDER_FAILED'],
    ]);
  });
});

describe('the accuracy note for consoles', () => {
  it('warns plainly about 8 kHz legs with the offline recogniser, and says nothing for others', async () => {
    const { accuracyNote } = await import('./session.js');
    expect(accuracyNote('pocketsphinx', 'narrowband', 'slin16').accuracy).toMatch(/^poor: 8 kHz/);
    expect(accuracyNote('pocketsphinx', 'unknown', 'ulaw').accuracy).toMatch(/^poor: 8 kHz/);
    expect(accuracyNote('pocketsphinx', 'wideband', 'slin16').accuracy).toMatch(/^rough/);
    expect(accuracyNote('pocketsphinx', 'unknown', 'slin16').accuracy).toMatch(/poor on 8 kHz/);
    expect(accuracyNote('google', 'narrowband', 'ulaw')).toEqual({});
  });
});
