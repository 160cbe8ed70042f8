// The embedded media server end to end: real sipp callers (speech from a WAV as µ-law, RFC 2833
// DTMF from sipp's pcaps), a real baresip agent phone that registers and answers by itself, and
// a controller on ari-client (unmodified) that answers, plays, collects a digit, bridges the
// caller with the agent, records, snoops into an external RTP socket and hangs up. After every
// test the call registries (channels, bridges, playbacks, recordings, SIP dialogs and
// transactions, engine endpoints, mixers and ports) are empty again.
import ariClient, { type Client, type StasisStart } from 'ari-client';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBaresip, startSipp, workDir, type Baresip } from '../sipp/harness.js';
import { EMPTY, startTestMediaServer, waitForEmpty, type TestMediaServer } from '../helpers/media.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const sippScenario = (name: string) => path.join(here, 'sipp', name);

let t: TestMediaServer;
let ari: Client;
let agent: Baresip;
type Handler = (event: StasisStart, client: Client) => Promise<void>;
let onStart: Handler | null = null;

function nextEvent<T>(type: string, pred: (e: T) => boolean = () => true, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ari.removeListener(type as never, listener as never);
      reject(new Error(`no ${type} in ${ms} ms`));
    }, ms);
    const listener = (e: T) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      ari.removeListener(type as never, listener as never);
      resolve(e);
    };
    ari.on(type as never, listener as never);
  });
}

function call(number: string, scenarioFile: string, extra: string[] = []) {
  return startSipp({
    remotePort: t.sipPort,
    args: ['-sf', sippScenario(scenarioFile), '-s', number, '-m', '1', ...extra],
    timeoutSeconds: 40,
  });
}

beforeAll(async () => {
  // What the callers say: a real recording, as raw µ-law (sipp sends the file's bytes as they are).
  const wav = path.join(workDir, 'talk.wav');
  execFileSync('espeak-ng', [
    '-v',
    'en-us',
    '-w',
    wav,
    'Hello, I would like to check the status of my order please.',
  ]);
  execFileSync('sox', [
    wav,
    '-r',
    '8000',
    '-c',
    '1',
    '-t',
    'ul',
    path.join(workDir, 'talk.ul'),
    'pad',
    '0',
    '1',
  ]);
  t = await startTestMediaServer({ rtpTimeoutSeconds: 3, maxCalls: 3 });
  ari = await ariClient.connect(t.ariUrl, 'hotline', 'hotline');
  ari.on('StasisStart', (event, channel) => {
    const handler = onStart;
    if (!handler) return;
    handler(event, ari).catch((err: unknown) => {
      console.error('test app failed', err);
      channel.hangup().catch(() => undefined);
    });
  });
  await ari.start('hotline');
  agent = await startBaresip({ user: 'agent1', password: 'secret1', registrarPort: t.sipPort });
  await agent.waitFor(/200 OK/);
});

afterEach(async () => {
  onStart = null;
  expect(await waitForEmpty(t.server)).toEqual(EMPTY);
});

afterAll(async () => {
  await agent?.stop();
  ari?.stop();
  await t?.stop();
});

describe('the embedded media server with real SIP peers and an ari-client controller', () => {
  it('answers a caller, plays a prompt, collects the digit the caller presses and hangs up', async () => {
    const digits: string[] = [];
    onStart = async (event, client) => {
      const channel = client.Channel(event.channel.id);
      channel.on('ChannelDtmfReceived', (e) => digits.push(e.digit));
      await channel.answer();
      const prompt = client.Playback();
      const finished = nextEvent<{ playback: { id: string; state: string } }>(
        'PlaybackFinished',
        (e) => e.playback.id === prompt.id,
      );
      await channel.play({ media: 'sound:hello-world', lang: 'en' }, prompt);
      expect((await finished).playback.state).toBe('done');
      await nextEvent<{ digit: string }>('ChannelDtmfReceived', (e) => e.digit === '1');
      const back = client.Playback();
      const backDone = nextEvent<{ playback: { id: string; state: string } }>(
        'PlaybackFinished',
        (e) => e.playback.id === back.id,
      );
      await channel.play({ media: 'digits:1' }, back);
      expect((await backDone).playback.state).toBe('done');
      await channel.hangup();
    };
    const caller = call('1000', 'caller-dtmf.xml');
    const ended = nextEvent('StasisEnd');
    expect((await caller.done).code).toBe(0);
    await ended;
    expect(digits).toEqual(['1']);
  });

  it('bridges the caller with the registered agent, records the bridge, forks the caller to an RTP socket, and hangs up both', async () => {
    const sink = createSocket('udp4');
    const rtp = { packets: 0, payloadTypes: new Set<number>(), sizes: new Set<number>() };
    sink.on('message', (msg) => {
      if (msg.length < 12 || msg[0]! >> 6 !== 2) return;
      rtp.packets++;
      rtp.payloadTypes.add(msg[1]! & 0x7f);
      rtp.sizes.add(msg.length - 12);
    });
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    const sinkPort = sink.address().port;
    let recordingName = '';

    const done = new Promise<void>((resolve, reject) => {
      onStart = async (event, client) => {
        if (event.args[0] !== '1003') return;
        const caller = client.Channel(event.channel.id);
        await caller.answer();
        const bridge = await client.bridges.create({ type: 'mixing', name: 'e2e-support' });
        await bridge.addChannel({ channel: caller.id });
        await bridge.startMoh({ mohClass: 'default' });
        const agentUp = nextEvent<StasisStart>('StasisStart', (e) => e.args[0] === 'agent-leg');
        const agentLeg = await client.channels.originate({
          endpoint: 'PJSIP/agent1',
          app: 'hotline',
          appArgs: 'agent-leg',
          callerId: '"Hotline" <1003>',
          timeout: 20,
        });
        await agentUp;
        await bridge.stopMoh();
        await bridge.addChannel({ channel: agentLeg.id });
        const snapshot = await client.bridges.get({ bridgeId: bridge.id });
        expect([...snapshot.channels].sort()).toEqual([caller.id, agentLeg.id].sort());

        // Fork what the caller says: snoop (spy in) + externalMedia in a bridge of their own.
        const snoopUp = nextEvent<StasisStart>('StasisStart', (e) => e.args[0] === 'snoop');
        const snoop = await caller.snoopChannel(
          { spy: 'in', app: 'hotline', appArgs: 'snoop' },
          client.Channel(),
        );
        await snoopUp;
        const externalUp = nextEvent<StasisStart>('StasisStart', (e) =>
          e.channel.name.startsWith('UnicastRTP/'),
        );
        const external = await client.channels.externalMedia({
          app: 'hotline',
          external_host: `127.0.0.1:${sinkPort}`,
          format: 'ulaw',
        });
        await externalUp;
        const fork = await client.bridges.create({ type: 'mixing' });
        await fork.addChannel({ channel: [snoop.id, external.id] });

        recordingName = `e2e-${Date.now()}`;
        const recorded = nextEvent<{ recording: { name: string; state: string } }>(
          'RecordingFinished',
          (e) => e.recording.name === recordingName,
        );
        await bridge.record(
          { name: recordingName, format: 'wav', maxDurationSeconds: 2 },
          client.LiveRecording(recordingName),
        );
        expect((await recorded).recording.state).toBe('done');

        const agentGone = nextEvent(
          'ChannelDestroyed',
          (e: { channel: { id: string } }) => e.channel.id === agentLeg.id,
        );
        await agentLeg.hangup();
        await agentGone;
        await client.channels.hangup({ channelId: external.id });
        await client.channels.hangup({ channelId: snoop.id });
        const callerGone = nextEvent(
          'StasisEnd',
          (e: { channel: { id: string } }) => e.channel.id === caller.id,
        );
        await caller.hangup();
        await callerGone;
        await fork.destroy();
        await bridge.destroy();
        resolve();
      };
      setTimeout(() => reject(new Error('the bridged call did not finish in 40 s')), 40_000);
    });
    const caller = call('1003', 'caller-talk.xml');
    await done;
    expect((await caller.done).code).toBe(0);
    sink.close();
    const file = path.join(t.recordingsDir, `${recordingName}.wav`);
    expect(existsSync(file)).toBe(true);
    // 2 s of 8 kHz 16-bit mono audio, give or take a packet.
    expect(statSync(file).size).toBeGreaterThan(44 + 1.5 * 16000);
    expect(rtp.packets).toBeGreaterThan(50);
    expect([...rtp.payloadTypes]).toEqual([0]);
    expect([...rtp.sizes]).toEqual([160]);
  });

  it('refuses an unknown number with 404', async () => {
    const caller = call('99', 'caller-expect-404.xml');
    expect((await caller.done).code).toBe(0);
  });

  it('refuses a call over capacity with 503 while the app holds the others', async () => {
    const held: string[] = [];
    onStart = async (event, client) => {
      await client.Channel(event.channel.id).answer();
      held.push(event.channel.id);
    };
    const first = call('1001', 'caller-talk.xml');
    const second = call('1002', 'caller-talk.xml');
    const third = call('1004', 'caller-talk.xml');
    while (held.length < 3) await new Promise((r) => setTimeout(r, 50));
    const fourth = call('1005', 'caller-expect-503.xml');
    const refused = await fourth.done;
    expect(refused.code, refused.output).toBe(0);
    for (const id of held) await ari.channels.hangup({ channelId: id });
    expect((await first.done).code).toBe(0);
    expect((await second.done).code).toBe(0);
    expect((await third.done).code).toBe(0);
  });

  it('cleans up a caller that never sends the ACK', async () => {
    const ended = nextEvent('StasisEnd');
    onStart = async (event, client) => {
      await client.Channel(event.channel.id).answer();
    };
    const caller = call('1006', 'caller-no-ack.xml');
    expect((await caller.done).code).toBe(0);
    await ended;
  });

  it('hangs up a caller whose RTP stops (a vanished peer)', async () => {
    const ended = nextEvent('StasisEnd');
    onStart = async (event, client) => {
      await client.Channel(event.channel.id).answer();
    };
    const caller = call('1007', 'caller-silent.xml');
    await ended;
    expect((await caller.done).code).toBe(0);
  });
});
