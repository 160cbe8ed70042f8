// Calls to agents (originate, create + dial), bridges, snoop and recording in the core, checked
// against the event sequences Asterisk 22 gave for the same requests (ari-lab traces).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addChannels, createBridge, destroyBridge, removeChannels } from './bridges.js';
import * as ops from './channel-ops.js';
import { externalMedia } from './external-media.js';
import { createChannel, dial, originate, parseCallerId } from './outbound.js';
import { recordChannel } from './recording-ops.js';
import { snoopChannel } from './snoop.js';
import { coreFixture, settle, type CoreFixture } from './testing/fixture.js';

describe('agents, bridges, snoop and recordings in the core', () => {
  let fx: CoreFixture;
  beforeEach(async () => {
    fx = await coreFixture();
  });
  afterEach(() => fx.close());

  async function answeredCaller(number = '1003') {
    const call = fx.sip.call(number);
    const start = await fx.waitFor((e) => e.type === 'StasisStart' && (e.args as string[])[0] === number);
    const id = (start.channel as { id: string }).id;
    await ops.answer(fx.core, id);
    return { call, id };
  }
  const noVarset = (types: string[]) => types.filter((t) => t !== 'ChannelVarset');

  it('parses caller ids like Asterisk', () => {
    expect(parseCallerId('"Hotline" <1003>')).toEqual({ name: 'Hotline', number: '1003' });
    expect(parseCallerId('Support <+86 (21) 5000-1000>')).toEqual({
      name: 'Support',
      number: '+862150001000',
    });
    expect(parseCallerId('1003')).toEqual({ name: '', number: '1003' });
    expect(parseCallerId('Hotline')).toEqual({ name: 'Hotline', number: '' });
  });

  it('originates to an agent: Dial events, then the app on answer, and ChannelDestroyed after its hang-up', async () => {
    const snap = originate(fx.core, {
      endpoint: 'PJSIP/agent1',
      app: 'hotline',
      appArgs: 'agent-leg',
      callerId: '"Hotline" <1003>',
      timeout: 20,
    });
    expect(snap).toMatchObject({
      state: 'Down',
      caller: { name: 'Hotline', number: '1003' },
      connected: { name: 'Hotline', number: '1003' },
    });
    expect(snap.name).toMatch(/^PJSIP\/agent1-[0-9a-f]{8}$/);
    expect(snap.dialplan).toEqual({
      context: 'from-agent',
      exten: 's',
      priority: 1,
      app_name: 'AppDial2',
      app_data: '(Outgoing Line)',
    });
    await settle();
    const call = fx.sip.invites[0]!;
    expect(call.target).toEqual({ endpoint: 'agent1' });
    call.ringing();
    call.answerIt();
    const start = await fx.waitFor((e) => e.type === 'StasisStart');
    expect(start.args).toEqual(['agent-leg']);
    expect(start.channel).toMatchObject({
      state: 'Up',
      dialplan: { app_name: 'Stasis', app_data: 'hotline,agent-leg' },
    });
    ops.hangup(fx.core, snap.id, {});
    const destroyed = await fx.waitFor((e) => e.type === 'ChannelDestroyed');
    expect(destroyed).toMatchObject({
      cause: 16,
      cause_txt: 'Normal Clearing',
      channel: { dialplan: { app_name: 'AppDial2' } },
    });
    expect(noVarset(fx.typesFor(snap.id))).toEqual([
      'Dial',
      'Dial',
      'ChannelStateChange',
      'ChannelStateChange',
      'Dial',
      'StasisStart',
      'ChannelHangupRequest',
      'StasisEnd',
      'ChannelDestroyed',
    ]);
    expect(fx.events.filter((e) => e.type === 'Dial').map((e) => [e.dialstatus, e.dialstring])).toEqual([
      ['', 'agent1'],
      ['RINGING', 'agent1'],
      ['ANSWER', 'agent1'],
    ]);
    expect(call.hangupCause).toBe(16);
  });

  it('reports an agent who is busy: Dial BUSY and ChannelDestroyed with cause 17', async () => {
    const snap = originate(fx.core, { endpoint: 'PJSIP/agent1', app: 'hotline' });
    await settle();
    fx.sip.invites[0]!.refuse(486, 17);
    const destroyed = await fx.waitFor((e) => e.type === 'ChannelDestroyed');
    expect(destroyed).toMatchObject({ cause: 17, cause_txt: 'User busy' });
    expect(fx.events.find((e) => e.type === 'ChannelHangupRequest')).toMatchObject({ cause: 17 });
    expect(fx.events.filter((e) => e.type === 'Dial').map((e) => e.dialstatus)).toEqual(['', 'BUSY']);
    expect(fx.events.some((e) => e.type === 'StasisStart')).toBe(false);
    expect(fx.core.channels.has(snap.id)).toBe(false);
  });

  it('gives up on an agent who does not answer within the timeout (NOANSWER)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      originate(fx.core, { endpoint: 'PJSIP/agent1', app: 'hotline', timeout: 20 });
      await settle();
      fx.sip.invites[0]!.ringing();
      vi.advanceTimersByTime(19_999);
      await settle();
      expect(fx.sip.invites[0]!.ended).toBe(false);
      vi.advanceTimersByTime(1);
    } finally {
      vi.useRealTimers();
    }
    const destroyed = await fx.waitFor((e) => e.type === 'ChannelDestroyed');
    expect(destroyed.cause).toBe(19);
    expect(fx.events.filter((e) => e.type === 'Dial').map((e) => e.dialstatus)).toEqual([
      '',
      'RINGING',
      'NOANSWER',
    ]);
  });

  it("offers the codecs asked for (formats), or the originator's", async () => {
    originate(fx.core, { endpoint: 'PJSIP/agent1', app: 'hotline', formats: 'alaw,ulaw' });
    const { id } = await answeredCaller('1008');
    createChannel(fx.core, { endpoint: 'PJSIP/agent1', app: 'hotline', originator: id });
    await settle();
    expect(fx.sip.invites[0]!.request.codecs).toEqual(['PCMA', 'PCMU']);
    expect(() => originate(fx.core, { endpoint: 'PJSIP/agent1', app: 'hotline', formats: 'opus' })).toThrow(
      'Provided format (opus) was not found',
    );
    const created = [...fx.core.channels.values()].find((c) => c.createdDialstring)!;
    dial(fx.core, created.id, {});
    await settle();
    expect(fx.sip.invites[1]!.request.codecs).toEqual(['PCMU']);
  });

  it('refuses what cannot be called, with a clear 400', () => {
    expect(() => originate(fx.core, { app: 'hotline' })).toThrow('Endpoint must be specified');
    expect(() => originate(fx.core, { endpoint: 'Bogus/x', app: 'hotline' })).toThrow(/technology 'Bogus'/);
    expect(() => originate(fx.core, { endpoint: 'PJSIP/nobody', app: 'hotline' })).toThrow(/not configured/);
    expect(() => originate(fx.core, { endpoint: 'PJSIP/agent2', app: 'hotline' })).toThrow(/not registered/);
    expect(() => originate(fx.core, { endpoint: 'PJSIP/agent2' })).toThrow(
      'Application or extension must be specified',
    );
    expect(() => originate(fx.core, { endpoint: 'sip:evil@example.com', app: 'hotline' })).toThrow(
      'Invalid endpoint specified',
    );
  });

  it('creates an agent channel into the app first, bridges it, then dials it', async () => {
    const { id: caller } = await answeredCaller('1004');
    const created = createChannel(fx.core, {
      endpoint: 'PJSIP/agent1',
      app: 'hotline',
      appArgs: 'agent-created',
    });
    expect(created).toMatchObject({ state: 'Down', dialplan: { app_name: '', app_data: '' } });
    await fx.waitFor((e) => e.type === 'StasisStart' && (e.args as string[])[0] === 'agent-created');
    const bridge = createBridge(fx.core, { type: 'mixing' });
    await addChannels(fx.core, bridge.id, [caller, created.id]);
    dial(fx.core, created.id, { caller, timeout: 20 });
    expect(() => dial(fx.core, caller, {})).toThrow("Channel is not in the 'Down' state");
    await settle();
    const call = fx.sip.invites[0]!;
    call.ringing();
    call.answerIt();
    await fx.waitFor((e) => e.type === 'Dial' && e.dialstatus === 'ANSWER');
    expect(noVarset(fx.typesFor(created.id))).toEqual([
      'ChannelDialplan',
      'StasisStart',
      'ChannelEnteredBridge',
      'ChannelConnectedLine',
      'ChannelStateChange',
      'Dial',
      'Dial',
      'ChannelStateChange',
      'Dial',
    ]);
    expect(fx.events.filter((e) => e.type === 'Dial').map((e) => [e.dialstatus, e.dialstring])).toEqual([
      ['', 'agent1'],
      ['RINGING', ''],
      ['ANSWER', ''],
    ]);
    expect(fx.core.channels.get(created.id)!.connected).toEqual({
      name: 'Lab Caller',
      number: '+8613800138000',
    });
    destroyBridge(fx.core, bridge.id);
  });

  it('bridges two answered calls natively and reports peers, connected lines and leaving', async () => {
    const { id: a } = await answeredCaller('1001');
    const { id: b } = await answeredCaller('1002');
    const bridge = createBridge(fx.core, { type: 'mixing', name: 'queue-support' });
    await addChannels(fx.core, bridge.id, [a]);
    expect(bridge.technology).toBe('simple_bridge');
    await addChannels(fx.core, bridge.id, [b]);
    expect(bridge.technology).toBe('native_rtp');
    expect(fx.engine.mixers.get(bridge.id)).toEqual(new Set([a, b]));
    const entered = fx.events.filter((e) => e.type === 'ChannelEnteredBridge');
    expect(entered.map((e) => (e.bridge as { channels: string[] }).channels)).toEqual([[a], [a, b]]);
    expect(ops.getVariable(fx.core, a, 'BRIDGEPEER')).toBe(fx.core.channels.get(b)!.name);
    await removeChannels(fx.core, bridge.id, [a]);
    expect(fx.events.at(-1)).toMatchObject({
      type: 'ChannelLeftBridge',
      bridge: { technology: 'native_rtp', channels: [b] },
    });
    expect(bridge.technology).toBe('simple_bridge');
    await expect(removeChannels(fx.core, bridge.id, [a])).rejects.toThrow('Channel not in this bridge');
    await expect(addChannels(fx.core, bridge.id, ['nope'])).rejects.toThrow('Channel not found');
    destroyBridge(fx.core, bridge.id);
    expect(fx.events.at(-1)).toMatchObject({ type: 'BridgeDestroyed', bridge: { channels: [] } });
  });

  it('mixes three parties (a conference) and goes back to a simple bridge when one leaves', async () => {
    const ids = [
      (await answeredCaller('2001')).id,
      (await answeredCaller('2002')).id,
      (await answeredCaller('2003')).id,
    ];
    const bridge = createBridge(fx.core, {});
    await addChannels(fx.core, bridge.id, ids);
    expect(bridge.technology).toBe('softmix');
    expect(ops.getVariable(fx.core, ids[0]!, 'BRIDGEPEER').split(',')).toHaveLength(2);
    ops.hangup(fx.core, ids[2]!, {});
    await fx.waitFor((e) => e.type === 'StasisEnd' && (e.channel as { id: string }).id === ids[2]);
    expect(bridge.channels).toEqual(ids.slice(0, 2));
    expect(bridge.technology).toBe('native_rtp');
  });

  it('snoops on a caller into the app, and ends the snoop with the caller', async () => {
    const { call, id } = await answeredCaller('1005');
    const snoop = snoopChannel(fx.core, id, { spy: 'in', app: 'hotline', appArgs: 'snoop' });
    expect(snoop).toMatchObject({ state: 'Up', name: `Snoop/${id}-${snoop.name.slice(-8)}` });
    await fx.waitFor((e) => e.type === 'StasisStart' && (e.args as string[])[0] === 'snoop');
    expect(fx.engine.commands).toContain(`snoop ${snoop.id} ${id} in/none`);
    expect(() => snoopChannel(fx.core, id, { spy: 'sideways', app: 'hotline' })).toThrow(
      'Invalid direction specified for spy',
    );
    expect(() => snoopChannel(fx.core, id, { spy: 'in' })).toThrow('Application name is required');
    call.bye();
    await fx.waitFor((e) => e.type === 'StasisEnd' && (e.channel as { id: string }).id === snoop.id);
    await settle();
    expect(fx.core.counts().channels).toBe(0);
    expect(fx.events.some((e) => e.type === 'ChannelDestroyed')).toBe(false);
  });

  it('sends a channel to an external RTP address with the same Dial events as Asterisk', async () => {
    const snap = await externalMedia(fx.core, {
      app: 'hotline',
      external_host: '127.0.0.1:40360',
      format: 'ulaw',
    });
    expect(snap.name).toMatch(/^UnicastRTP\/127\.0\.0\.1:40360-0x[0-9a-f]+$/);
    expect(snap.channelvars).toEqual({
      UNICASTRTP_LOCAL_PORT: expect.any(String) as unknown,
      UNICASTRTP_LOCAL_ADDRESS: '127.0.0.1',
    });
    const start = await fx.waitFor((e) => e.type === 'StasisStart');
    expect(start.args).toEqual([]);
    expect(fx.engine.endpoints.get(snap.id)!.settings).toMatchObject({
      remote: { address: '127.0.0.1', port: 40360 },
      codec: 'PCMU',
      payloadType: 0,
      latch: false,
    });
    expect(noVarset(fx.typesFor(snap.id))).toEqual(['Dial', 'ChannelStateChange', 'Dial', 'StasisStart']);
    expect(fx.events.find((e) => e.type === 'Dial')).toMatchObject({ dialstring: '127.0.0.1:40360/c(ulaw)' });
    await expect(externalMedia(fx.core, { app: 'hotline', format: 'ulaw' })).rejects.toThrow(
      'external_host is required',
    );
    await expect(
      externalMedia(fx.core, { app: 'hotline', external_host: '127.0.0.1:9', format: 'nonsense' }),
    ).rejects.toThrow(/not supported/);
  });

  it('records a caller, refuses a second recording of the same name, and keeps the file', async () => {
    const { id } = await answeredCaller('1006');
    const rec = recordChannel(fx.core, id, {
      name: 'lab-1',
      format: 'wav',
      maxDurationSeconds: 2,
      ifExists: 'overwrite',
    });
    expect(rec).toEqual({ name: 'lab-1', format: 'wav', state: 'queued', target_uri: `channel:${id}` });
    expect(await fx.waitFor((e) => e.type === 'RecordingStarted')).toMatchObject({
      recording: { state: 'recording' },
    });
    expect(fx.engine.recordings.get('lab-1')!.options).toMatchObject({ format: 'wav', maxDurationMs: 2000 });
    expect(() => recordChannel(fx.core, id, { name: 'lab-1', format: 'wav' })).toThrow(
      "Recording 'lab-1' already exists and can not be overwritten",
    );
    expect(() => recordChannel(fx.core, id, { name: 'x', format: 'nonsense' })).toThrow(
      'specified format is unknown on this system',
    );
    expect(() => recordChannel(fx.core, id, { name: '../x', format: 'wav' })).toThrow(
      'Recording name invalid',
    );
    fx.engine.endRecording('lab-1', 'done', 2000);
    expect(await fx.waitFor((e) => e.type === 'RecordingFinished')).toMatchObject({
      recording: { state: 'done', duration: 2 },
    });
    expect(fx.core.counts().liveRecordings).toBe(0);
  });
});
