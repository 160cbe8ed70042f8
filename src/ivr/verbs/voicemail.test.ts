import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../testing/fakes.js';
import { flowFrom, runFlows } from '../testing/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

const flow = flowFrom(`
start: vm
steps:
  vm:
    verb: voicemail
    mailbox: support
    prompt: Please leave a message after the tone
    maxSeconds: 60
    maxSilenceSeconds: 4
    next: thanks
  thanks: { verb: hangup, prompt: Thank you }
`);

describe('voicemail', () => {
  it('records over ARI after the prompt and keeps the message with the call', async () => {
    const store = new MemoryStore();
    const run = runFlows(flow, { services: { store } });
    await tick(1000);
    const [recording] = run.channel.recordings;
    expect(recording!.options).toMatchObject({
      format: 'wav',
      maxDurationSeconds: 60,
      maxSilenceSeconds: 4,
      beep: true,
      terminateOn: '#',
    });
    expect(recording!.name).toMatch(/^voicemail-chan-1-/);
    recording!.finish('done', 12);
    await tick(1000);
    const end = await run.done;
    expect(store.voicemails).toEqual([
      expect.objectContaining({
        callId: 'chan-1',
        mailbox: 'support',
        recording: recording!.name,
        durationSeconds: 12,
        callerNumber: '+8613800138000',
        language: 'en',
      }),
    ]);
    expect(run.trail.steps[0]).toMatchObject({ result: 'recorded', data: { voicemail: '1', seconds: 12 } });
    expect(run.trail.updates).toContainEqual({
      data: { voicemail: { id: '1', recording: recording!.name, mailbox: 'support' } },
    });
    expect(end.outcome).toBe('voicemail');
  });

  it('keeps the message when the caller hangs up while recording (the usual way a message ends)', async () => {
    const store = new MemoryStore();
    const run = runFlows(flow, { services: { store } });
    await tick(1000);
    await tick(5000);
    run.channel.callerHangsUp();
    const end = await run.done;
    expect(store.voicemails).toHaveLength(1);
    expect(store.voicemails[0]!.durationSeconds).toBe(4);
    expect(end).toMatchObject({ outcome: 'voicemail', how: 'caller-gone' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps nothing when the recording is empty or failed', async () => {
    const store = new MemoryStore();
    const run = runFlows(flow, { services: { store } });
    await tick(1000);
    run.channel.recordings[0]!.finish('failed', null);
    await tick(1000);
    const end = await run.done;
    expect(store.voicemails).toHaveLength(0);
    expect(run.trail.steps[0]).toMatchObject({ result: 'empty' });
    expect(end.outcome).toBe('completed');
  });

  it('keeps a long message whose end the server reports a moment after the caller hung up', async () => {
    const store = new MemoryStore();
    const run = runFlows(flow, { services: { store } });
    run.channel.recordingsEndOnHangup = false;
    await tick(1000);
    await tick(45_000);
    run.channel.callerHangsUp();
    await tick(1500);
    run.channel.recordings[0]!.finish('done', 46);
    const end = await run.done;
    expect(store.voicemails[0]!.durationSeconds).toBe(46);
    expect(end.outcome).toBe('voicemail');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives a recording that never reports up a while after the caller hung up', async () => {
    const store = new MemoryStore();
    const run = runFlows(flow, { services: { store } });
    run.channel.recordingsEndOnHangup = false;
    await tick(3000);
    run.channel.callerHangsUp();
    await tick(10_000);
    const end = await run.done;
    expect(store.voicemails).toHaveLength(0);
    expect(end.outcome).toBe('abandoned');
    expect(vi.getTimerCount()).toBe(0);
  });
});
