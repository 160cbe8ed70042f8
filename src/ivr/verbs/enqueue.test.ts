import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeRouter } from '../testing/fakes.js';
import { flowFrom, runFlows } from '../testing/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

const flow = flowFrom(`
start: queue
steps:
  queue:
    verb: enqueue
    queue: tech-support
    skills: { product-certification: 2 }
    priority: "{{priority}}"
    lastAgent: "{{customer.lastAgent}}"
    data: { issue: "{{issue}}" }
    moh: calm
    announce:
      every: 30
      first: 10
      prompt: "You are number {{queue.position}}, about {{queue.waitMinutes}} minutes"
      withoutEstimate: "You are number {{queue.position}}"
    callback:
      key: "1"
      offer: Press 1 to be called back
      next: callback-thanks
    overflow: voicemail
    unavailable: no-agents
  callback-thanks: { verb: hangup, outcome: callback }
  voicemail: { verb: hangup, outcome: overflowed }
  no-agents: { verb: hangup, outcome: no-agents }
`);

function start(router: FakeRouter | null) {
  return runFlows(flow, {
    services: { router },
    vars: { priority: 10, issue: 'latency', customer: { lastAgent: 'agent7' } },
  });
}

describe('enqueue', () => {
  it('goes to `unavailable` when no router is configured', async () => {
    const run = start(null);
    const end = await run.done;
    expect(run.trail.steps[0]).toMatchObject({ step: 'queue', result: 'no-router', next: 'no-agents' });
    expect(end.outcome).toBe('no-agents');
  });

  it('hands the caller to routing with skills, priority, language, last agent and data', async () => {
    const router = new FakeRouter();
    const run = start(router);
    await tick(1);
    expect(router.last.request).toEqual({
      callId: 'chan-1',
      channelId: 'chan-1',
      queue: 'tech-support',
      skills: { 'product-certification': 2 },
      language: 'en',
      priority: 10,
      lastAgent: 'agent7',
      data: { issue: 'latency' },
    });
    expect(run.trail.updates).toContainEqual({ queue: 'tech-support' });
    router.last.settle({ kind: 'connected', agent: 'agent1', agentChannelId: 'a1', bridgeId: 'b1' });
    const end = await run.done;
    expect(end).toMatchObject({ outcome: 'connected', how: 'handed-off' });
    expect(run.channel.hungUp).toBe(false);
    expect(run.trail.updates).toContainEqual({ agent: 'agent1' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('announces position and wait periodically: stop music on hold, play, start it again', async () => {
    const router = new FakeRouter();
    const run = start(router);
    await tick(9_000);
    expect(run.channel.played).toEqual([]);
    await tick(1_000);
    expect(run.channel.log.slice(-3)).toEqual([
      'moh stop',
      'play sound:tts/en/You are number 3, about 2 minutes (en)',
      'play sound:tts/en/Press 1 to be called back (en)',
    ]);
    await tick(1_500);
    expect(run.channel.moh).toBe(false);
    await tick(600);
    expect(run.channel.log.at(-1)).toBe('moh start calm');
    router.last.position_ = { position: 1, estimatedWaitSeconds: null };
    await tick(30_000);
    expect(run.channel.played).toContain('sound:tts/en/You are number 1');
    const announcements = run.trail.events.filter((e) => e.type === 'ivr.queue-announcement');
    expect(announcements.map((a) => a.data.position)).toEqual([3, 1]);
    router.last.settle({ kind: 'connected', agent: 'agent1', agentChannelId: 'a1', bridgeId: 'b1' });
    await run.done;
    expect(vi.getTimerCount()).toBe(0);
    expect(run.channel.activePlaybacks).toBe(0);
  });

  it("follows the queue's music on hold, announcement interval and what it may tell, where the step is silent", async () => {
    const router = new FakeRouter();
    router.hold = {
      mohClass: 'jazz',
      announceEverySeconds: 45,
      announcePosition: true,
      announceEstimatedWait: false,
    };
    const run = runFlows(
      flowFrom(`
start: queue
steps:
  queue:
    verb: enqueue
    queue: tech-support
    announce:
      prompt: "You are number {{queue.position}}, about {{queue.waitMinutes}} minutes"
      withoutEstimate: "You are number {{queue.position}}"
    overflow: done
    unavailable: done
  done: { verb: hangup }
`),
      { services: { router } },
    );
    await tick(44_000);
    expect(run.channel.played).toEqual([]);
    await tick(1_000);
    // the estimate (2 minutes) is not told: the queue does not announce waits
    expect(run.channel.log.slice(-2)).toEqual(['moh stop', 'play sound:tts/en/You are number 3 (en)']);
    await tick(3_000);
    expect(run.channel.log.at(-1)).toBe('moh start jazz');
    router.last.settle({ kind: 'connected', agent: 'agent1', agentChannelId: 'a1', bridgeId: 'b1' });
    await run.done;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('turns the wait into a callback when the caller presses the callback key', async () => {
    const router = new FakeRouter();
    const run = start(router);
    await tick(10_500);
    run.channel.press('1');
    const end = await run.done;
    expect(router.last.callbackNumber).toBe('+8613800138000');
    expect(run.trail.steps[0]).toMatchObject({ result: 'callback', input: '1', next: 'callback-thanks' });
    expect(end.outcome).toBe('callback');
    expect(run.channel.activePlaybacks).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('continues the flow on overflow, into another queue or to the overflow step', async () => {
    const router = new FakeRouter();
    const run = start(router);
    await tick(1);
    router.last.settle({ kind: 'overflow', to: { queue: 'general' } });
    await tick(1);
    expect(router.calls.map((c) => c.queue)).toEqual(['tech-support', 'general']);
    router.last.settle({ kind: 'overflow', to: { voicemail: true } });
    const end = await run.done;
    expect(run.trail.steps[0]).toMatchObject({
      result: 'overflow',
      next: 'voicemail',
      data: { hops: ['tech-support', 'general'], to: { voicemail: true } },
    });
    expect(end.outcome).toBe('overflowed');
  });

  it('goes to `unavailable` when the queue refuses the call', async () => {
    const router = new FakeRouter();
    const run = start(router);
    await tick(1);
    router.last.settle({ kind: 'rejected', reason: 'no-agents' });
    await run.done;
    expect(run.trail.steps[0]).toMatchObject({
      result: 'rejected',
      next: 'no-agents',
      data: { reason: 'no-agents' },
    });
  });

  it('ends cleanly when the caller hangs up during an announcement', async () => {
    const router = new FakeRouter();
    const run = start(router);
    await tick(10_300);
    expect(run.channel.activePlaybacks).toBe(2);
    run.channel.callerHangsUp();
    const end = await run.done;
    expect(end.how).toBe('caller-gone');
    await tick();
    expect(vi.getTimerCount()).toBe(0);
    expect(run.channel.dtmfListeners).toBe(0);
    expect(run.session.digits.listening).toBe(0);
  });
});
