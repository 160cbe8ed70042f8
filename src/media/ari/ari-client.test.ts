import ariClient, { type Channel, type Client, type Playback, type StasisStart } from 'ari-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ariFixture, type AriFixture } from './testing.js';

function once<T>(client: Client, event: string): Promise<T> {
  return new Promise((resolve) => client.once(event as never, ((e: T) => resolve(e)) as never));
}

describe('ari-client against the embedded ARI server', () => {
  let fx: AriFixture;
  let client: Client;

  beforeEach(async () => {
    fx = await ariFixture();
    client = await ariClient.connect(fx.url, 'hotline', 'hotline');
    await client.start('hotline');
  });

  afterEach(async () => {
    client.stop();
    await fx.close();
  });

  it('loads the API, answers a call, plays a prompt and hangs up with resource objects', async () => {
    const started = once<StasisStart>(client, 'StasisStart');
    const call = fx.sip.call('1000');
    const event = await started;
    expect(event.args).toEqual(['1000']);
    expect(event.channel.state).toBe('Ring');
    expect(event.channel.name).toMatch(/^PJSIP\/caller-[0-9a-f]{8}$/);
    expect(event.channel.dialplan).toEqual({
      context: 'from-caller',
      exten: '1000',
      priority: 2,
      app_name: 'Stasis',
      app_data: 'hotline,1000',
    });
    const channel = client.Channel(event.channel.id);
    await channel.answer();
    expect(call.status).toBe('answered');

    const playing = once<{ playback: Playback }>(client, 'PlaybackStarted');
    const finished = once<{ playback: Playback }>(client, 'PlaybackFinished');
    const playback = client.Playback();
    const pb = await channel.play({ media: 'sound:hello-world' }, playback);
    expect(pb.state).toBe('queued');
    expect(pb.id).toBe(playback.id);
    expect((await playing).playback.state).toBe('playing');
    fx.engine.finish(fx.engine.playing()[0]!);
    expect((await finished).playback.state).toBe('done');

    const ended = once<{ channel: Channel }>(client, 'StasisEnd');
    await channel.hangup();
    expect((await ended).channel.id).toBe(event.channel.id);
    expect(call.actions).toContain('hangup 16');
    expect(fx.core.counts()).toEqual({ channels: 0, bridges: 0, playbacks: 0, liveRecordings: 0 });
  });

  it('reports an error body the way Asterisk words it', async () => {
    const err = await client.channels.get({ channelId: 'no-such-channel' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(JSON.parse((err as Error).message)).toEqual({ message: 'Channel not found' });
  });

  it('creates bridges and lists them as Bridge objects', async () => {
    const bridge = await client.bridges.create({ type: 'mixing', name: 'queue-support' });
    expect(bridge.bridge_type).toBe('mixing');
    const list = await client.bridges.list();
    expect(list.map((b) => b.id)).toEqual([bridge.id]);
    await bridge.destroy();
    expect(fx.core.counts().bridges).toBe(0);
  });
});
