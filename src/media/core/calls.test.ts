// Inbound calls through the core, checked against the event sequences a real Asterisk 22 gave
// for the same actions (ari-lab traces).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as ops from './channel-ops.js';
import { CoreError } from './errors.js';
import { playOnChannel, stopPlayback } from './playbacks.js';
import { coreFixture, settle, type CoreFixture } from './testing/fixture.js';

describe('an inbound call in the core', () => {
  let fx: CoreFixture;
  beforeEach(async () => {
    fx = await coreFixture({ maxCalls: 2 });
  });
  afterEach(() => fx.close());

  async function callIn(number = '1000') {
    const call = fx.sip.call(number);
    const start = await fx.waitFor((e) => e.type === 'StasisStart' && (e.args as string[])[0] === number);
    const id = (start.channel as { id: string }).id;
    return { call, id, start };
  }

  it('enters the app in Ring with the number as args, and ends at StasisEnd when the caller hangs up', async () => {
    const { call, id, start } = await callIn();
    expect(start.args).toEqual(['1000']);
    expect(start.channel).toMatchObject({
      state: 'Ring',
      caller: { name: 'Lab Caller', number: '+8613800138000' },
    });
    await ops.answer(fx.core, id);
    expect(call.actions).toEqual(['answer']);
    call.bye();
    await fx.waitFor((e) => e.type === 'StasisEnd');
    await settle();
    expect(fx.typesFor(id)).toEqual([
      'StasisStart',
      'ChannelStateChange',
      'ChannelVarset',
      'ChannelVarset',
      'ChannelVarset',
      'ChannelVarset',
      'ChannelVarset',
      'ChannelHangupRequest',
      'StasisEnd',
    ]);
    const request = fx.events.find((e) => e.type === 'ChannelHangupRequest')!;
    expect('cause' in request).toBe(false);
    expect(fx.events.some((e) => e.type === 'ChannelDestroyed')).toBe(false);
    expect(fx.core.counts()).toEqual({ channels: 0, bridges: 0, playbacks: 0, liveRecordings: 0 });
  });

  it('reports a hang-up over ARI as a soft request with cause 32 and sends the reason to the caller', async () => {
    const { call, id } = await callIn();
    await ops.answer(fx.core, id);
    ops.hangup(fx.core, id, { reason: 'busy' });
    await fx.waitFor((e) => e.type === 'StasisEnd');
    expect(fx.events.find((e) => e.type === 'ChannelHangupRequest')).toMatchObject({ cause: 32, soft: true });
    expect(call.hangupCause).toBe(17);
    expect(() => ops.hangup(fx.core, id, {})).toThrow('Channel not found');
  });

  it('refuses an unknown number with 404 and a call over capacity with 503', async () => {
    expect(fx.sip.call('1000', { trunk: 'carrier', source: '192.0.2.1' }).rejectedWith).toBe(404);
    await callIn('11');
    await callIn('22');
    const third = fx.sip.call('33');
    await settle();
    expect(third.rejectedWith).toBe(503);
  });

  it('refuses a call for an application nobody is connected to', async () => {
    const call = fx.sip.call('55', { endpoint: 'agent1' });
    await settle();
    expect(call.rejectedWith).toBe(480);
    expect(fx.core.counts().channels).toBe(0);
  });

  it('plays before the answer as early media, and an answer waits for that playback', async () => {
    const { call, id } = await callIn();
    const pb = playOnChannel(fx.core, id, { media: ['sound:hello-world'] });
    expect(pb.state).toBe('queued');
    await fx.waitFor((e) => e.type === 'PlaybackStarted');
    expect(call.actions).toEqual(['progress']);
    let answered = false;
    const answering = ops.answer(fx.core, id).then(() => (answered = true));
    await settle();
    expect(answered).toBe(false);
    fx.engine.finish(fx.engine.playing()[0]!);
    await answering;
    expect(call.actions).toEqual(['progress', 'answer']);
    expect(fx.typesFor(id)).toEqual([
      'StasisStart',
      'PlaybackStarted',
      'PlaybackFinished',
      'ChannelStateChange',
    ]);
  });

  it('fails the playback cut short by the caller hanging up, before StasisEnd', async () => {
    const { call, id } = await callIn();
    await ops.answer(fx.core, id);
    playOnChannel(fx.core, id, { media: ['sound:demo-congrats'] });
    await fx.waitFor((e) => e.type === 'PlaybackStarted');
    call.bye();
    await fx.waitFor((e) => e.type === 'StasisEnd');
    const types = fx.typesFor(id).filter((t) => t !== 'ChannelVarset');
    expect(types).toEqual([
      'StasisStart',
      'ChannelStateChange',
      'PlaybackStarted',
      'ChannelHangupRequest',
      'PlaybackFinished',
      'StasisEnd',
    ]);
    expect(fx.events.find((e) => e.type === 'PlaybackFinished')).toMatchObject({
      playback: { state: 'failed' },
    });
    expect(fx.core.counts().playbacks).toBe(0);
  });

  it('plays a playlist item by item, continuing past a missing prompt', async () => {
    const { id } = await callIn();
    await ops.answer(fx.core, id);
    playOnChannel(fx.core, id, { media: ['sound:hello-world', 'sound:no-such', 'digits:12'] });
    await fx.waitFor((e) => e.type === 'PlaybackStarted');
    fx.engine.finish(fx.engine.playing()[0]!);
    await fx.waitFor(
      (e) => e.type === 'PlaybackStarted' && (e.playback as { media_uri: string }).media_uri === 'digits:12',
    );
    fx.engine.finish(fx.engine.playing()[0]!);
    const done = await fx.waitFor((e) => e.type === 'PlaybackFinished');
    const seen = fx.events
      .filter((e) => e.type.startsWith('Playback'))
      .map((e) => {
        const p = e.playback as { media_uri: string; state: string; next_media_uri?: string };
        return `${e.type} ${p.media_uri} ${p.state}${p.next_media_uri ? ` → ${p.next_media_uri}` : ''}`;
      });
    expect(seen).toEqual([
      'PlaybackStarted sound:hello-world playing → sound:no-such',
      'PlaybackContinuing sound:hello-world continuing → sound:no-such',
      'PlaybackStarted sound:no-such playing → digits:12',
      'PlaybackContinuing sound:no-such continuing → digits:12',
      'PlaybackStarted digits:12 playing',
      'PlaybackFinished digits:12 done',
    ]);
    expect(done.playback).toMatchObject({ state: 'done' });
  });

  it('starts and never finishes a playback of an unknown scheme, as Asterisk does', async () => {
    const { id } = await callIn();
    await ops.answer(fx.core, id);
    const pb = playOnChannel(fx.core, id, { media: ['bogus:thing'] });
    await fx.waitFor((e) => e.type === 'PlaybackStarted');
    await settle();
    expect(fx.events.filter((e) => e.type === 'PlaybackFinished')).toEqual([]);
    expect(fx.core.playbacks.has(pb.id)).toBe(false);
  });

  it('reports a playback stopped while still queued as done, without starting it', async () => {
    const { id } = await callIn();
    await ops.answer(fx.core, id);
    playOnChannel(fx.core, id, { media: ['sound:hello-world'] });
    const second = playOnChannel(fx.core, id, { media: ['sound:demo-congrats'] });
    await fx.waitFor((e) => e.type === 'PlaybackStarted');
    stopPlayback(fx.core, second.id);
    fx.engine.finish(fx.engine.playing()[0]!);
    const finished = await fx.waitFor(
      (e) => e.type === 'PlaybackFinished' && (e.playback as { id: string }).id === second.id,
    );
    expect(finished.playback).toMatchObject({ state: 'done', media_uri: 'sound:demo-congrats' });
    expect(fx.events.filter((e) => e.type === 'PlaybackStarted')).toHaveLength(1);
  });

  it('stops a playing prompt (done), and refuses to stop a digits: playback with 409', async () => {
    const { id } = await callIn();
    await ops.answer(fx.core, id);
    const pb = playOnChannel(fx.core, id, { media: ['sound:hello-world'] });
    await fx.waitFor((e) => e.type === 'PlaybackStarted');
    stopPlayback(fx.core, pb.id);
    expect(await fx.waitFor((e) => e.type === 'PlaybackFinished')).toMatchObject({
      playback: { state: 'done' },
    });
    const digits = playOnChannel(fx.core, id, { media: ['digits:1'] });
    await fx.waitFor((e) => e.type === 'PlaybackStarted' && (e.playback as { id: string }).id === digits.id);
    expect(() => stopPlayback(fx.core, digits.id)).toThrow(CoreError);
  });

  it('reads and sets variables and dialplan functions', async () => {
    const { id } = await callIn();
    ops.setVariable(fx.core, id, 'HOTLINE_LANG', 'zh');
    expect(fx.events.at(-1)).toMatchObject({ type: 'ChannelVarset', variable: 'HOTLINE_LANG', value: 'zh' });
    expect(ops.getVariable(fx.core, id, 'HOTLINE_LANG')).toBe('zh');
    expect(ops.getVariable(fx.core, id, 'CALLERID(num)')).toBe('+8613800138000');
    expect(ops.getVariable(fx.core, id, 'CHANNEL(rtp,src)')).toMatch(/^127\.0\.0\.1:2\d{4}$/);
    expect(ops.getVariable(fx.core, id, 'CHANNEL(rtp,dest)')).toBe('127.0.0.1:40000');
    expect(() => ops.getVariable(fx.core, id, 'HOTLINE_NEVER_SET')).toThrow(
      'Provided variable was not found',
    );
    expect(() => ops.getVariable(fx.core, 'nope', 'X')).toThrow('Provided channel was not found');
    expect(() => ops.setVariable(fx.core, id, undefined, 'x')).toThrow('Variable name is required');
    ops.setVariable(fx.core, id, 'CALLERID(name)', 'Ada');
    expect(fx.events.at(-1)).toMatchObject({ type: 'ChannelCallerId', channel: { caller: { name: 'Ada' } } });
  });

  it('turns DTMF from RTP and from SIP INFO into ChannelDtmfReceived', async () => {
    const { call, id } = await callIn();
    await ops.answer(fx.core, id);
    fx.engine.dtmf(id, '1', 280);
    call.infoDtmf('#', 250);
    expect(
      fx.events.filter((e) => e.type === 'ChannelDtmfReceived').map((e) => [e.digit, e.duration_ms]),
    ).toEqual([
      ['1', 280],
      ['#', 250],
    ]);
  });

  it('reports the caller putting us on hold and back (re-INVITE) as ChannelHold and ChannelUnhold', async () => {
    const { call, id } = await callIn();
    await ops.answer(fx.core, id);
    call.emit('media', { ...call.media, direction: 'sendonly' });
    call.emit('media', { ...call.media, direction: 'sendonly' });
    expect(fx.engine.endpoints.get(id)!.settings).toMatchObject({ direction: 'recvonly' });
    call.emit('media', {
      ...call.media,
      direction: 'sendrecv',
      remote: { address: '127.0.0.1', port: 40010 },
    });
    expect(
      fx.typesFor(id).filter((t) => t.startsWith('ChannelHold') || t.startsWith('ChannelUnhold')),
    ).toEqual(['ChannelHold', 'ChannelUnhold']);
    expect(fx.engine.endpoints.get(id)!.settings).toMatchObject({
      direction: 'sendrecv',
      remote: { port: 40010 },
    });
    expect(ops.getVariable(fx.core, id, 'CHANNEL(rtp,dest)')).toBe('127.0.0.1:40010');
  });

  it('reports talking only once TALK_DETECT is set, with the thresholds given', async () => {
    const { id } = await callIn();
    await ops.answer(fx.core, id);
    fx.engine.talking(id, true);
    expect(fx.events.some((e) => e.type === 'ChannelTalkingStarted')).toBe(false);
    ops.setVariable(fx.core, id, 'TALK_DETECT(set)', '1500,200');
    expect(fx.engine.commands).toContain(`talk ${id} {"silenceMs":1500,"threshold":200}`);
    fx.engine.talking(id, true);
    fx.engine.talking(id, false, 3200);
    expect(
      fx.events.filter((e) => e.type.startsWith('ChannelTalking')).map((e) => [e.type, e.duration]),
    ).toEqual([
      ['ChannelTalkingStarted', undefined],
      ['ChannelTalkingFinished', 3200],
    ]);
    ops.setVariable(fx.core, id, 'TALK_DETECT(remove)', '');
    expect(fx.engine.commands).toContain(`talk ${id} null`);
  });

  it('hangs up a caller whose RTP stopped (a vanished peer), sending a BYE', async () => {
    const { call, id } = await callIn();
    await ops.answer(fx.core, id);
    fx.engine.rtpTimeout(id);
    await fx.waitFor((e) => e.type === 'StasisEnd');
    await settle();
    expect(call.hangupCause).toBe(44);
    expect(fx.core.counts().channels).toBe(0);
  });

  it('checks direction, DTMF and state like Asterisk', async () => {
    const { id } = await callIn();
    expect(() => ops.mute(fx.core, id, 'sideways')).toThrow('Invalid direction specified');
    expect(() => ops.sendDtmf(fx.core, id, {})).toThrow('DTMF is required');
    await expect(ops.answer(fx.core, 'no-such')).rejects.toThrow('Channel not found');
    ops.ring(fx.core, id);
    await settle();
    expect(fx.sip.invites).toHaveLength(0);
  });
});
