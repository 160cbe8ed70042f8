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
start: offer
steps:
  offer:
    verb: callback
    queue: billing
    prompt: Press 1 to be called back on this number, 2 for another number
    otherNumberKey: "2"
    numberPrompt: Enter the number, then hash
    priority: 5
    data: { issue: "{{issue}}" }
    next: thanks
    declined: bye
  thanks: { verb: hangup, prompt: We will call you back }
  bye: { verb: hangup }
`);

describe('callback', () => {
  it('stores a request to call back the number the caller is calling from', async () => {
    const store = new MemoryStore();
    const run = runFlows(flow, { services: { store }, vars: { issue: 'billing' } });
    await tick(500);
    run.channel.press('1');
    await tick(2000);
    const end = await run.done;
    expect(store.callbacks).toEqual([
      {
        id: '1',
        callId: 'chan-1',
        number: '+8613800138000',
        queue: 'billing',
        language: 'en',
        priority: 5,
        data: { issue: 'billing' },
      },
    ]);
    expect(run.trail.steps[0]).toMatchObject({ result: 'requested', input: '1', next: 'thanks' });
    expect(end.outcome).toBe('callback');
  });

  it('takes another number keyed in by the caller', async () => {
    const store = new MemoryStore();
    const run = runFlows(flow, { services: { store } });
    await tick(1500);
    run.channel.press('2');
    await tick(1500);
    run.channel.press('13912345678#');
    await tick(2000);
    await run.done;
    expect(store.callbacks[0]!.number).toBe('13912345678');
  });

  it('goes to `declined` when the caller does not take the offer', async () => {
    const store = new MemoryStore();
    const run = runFlows(flow, { services: { store } });
    await tick(20_000);
    await run.done;
    expect(store.callbacks).toHaveLength(0);
    expect(run.trail.steps[0]).toMatchObject({ result: 'declined', next: 'bye' });
  });
});
