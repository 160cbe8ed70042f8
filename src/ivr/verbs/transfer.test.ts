import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBridges, FakeDialer, FakeRouter } from '../testing/fakes.js';
import { flowFrom, runFlows } from '../testing/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

const flowTo = (to: string) =>
  flowFrom(`
start: xfer
steps:
  xfer:
    verb: transfer
    to: ${to}
    timeout: 20
    failed: sorry
  sorry: { verb: hangup, outcome: transfer-failed }
`);

describe('transfer', () => {
  it('dials the agent, bridges both and hangs up the caller when the agent hangs up', async () => {
    const dialer = new FakeDialer();
    const bridges = new FakeBridges();
    const run = runFlows(flowTo('{ agent: "{{customer.lastAgent}}" }'), {
      services: { dialer, bridges },
      vars: { customer: { lastAgent: 'agent1' } },
    });
    await tick(10);
    expect(run.channel.log.slice(0, 2)).toEqual(['answer', 'play tone:ring']);
    expect(dialer.dialled).toEqual([
      { endpoint: 'PJSIP/agent1', callerId: '+8613800138000', timeoutSeconds: 20 },
    ]);
    expect(bridges.bridges[0]).toMatchObject({ channels: ['chan-1', 'leg-1'], destroyed: false });
    expect(run.channel.log).toContain('stop tone:ring');
    dialer.legs[0]!.farEndHangsUp();
    const end = await run.done;
    expect(end).toMatchObject({ outcome: 'transferred', how: 'handed-off' });
    expect(run.channel.hungUp).toBe(true);
    expect(bridges.bridges[0]!.destroyed).toBe(true);
    expect(run.trail.updates).toContainEqual({ agent: 'agent1' });
  });

  it('hangs up the far end and destroys the bridge when the caller hangs up', async () => {
    const dialer = new FakeDialer();
    const bridges = new FakeBridges();
    const run = runFlows(flowTo('{ number: "10086", trunk: carrier }'), { services: { dialer, bridges } });
    await tick(10);
    expect(dialer.dialled[0]!.endpoint).toBe('PJSIP/10086@carrier');
    run.channel.callerHangsUp();
    await run.done;
    await tick();
    expect(dialer.legs[0]!.hungUp).toBe(true);
    expect(bridges.bridges[0]!.destroyed).toBe(true);
  });

  it('goes to `failed` when nobody answers', async () => {
    const dialer = new FakeDialer();
    dialer.answer = 'no-answer';
    const run = runFlows(flowTo('{ agent: agent2 }'), { services: { dialer, bridges: new FakeBridges() } });
    const end = await run.done;
    expect(run.trail.steps[0]).toMatchObject({ result: 'no-answer', next: 'sorry' });
    expect(end.outcome).toBe('transfer-failed');
    expect(run.channel.activePlaybacks).toBe(0);
  });

  it('uses ivr.transferTrunk for a number without a trunk, and fails without one', async () => {
    const dialer = new FakeDialer();
    const run = runFlows(flowTo('{ number: "10086" }'), {
      services: { dialer, bridges: new FakeBridges(), transferTrunk: 'pstn' },
    });
    await tick(10);
    expect(dialer.dialled[0]!.endpoint).toBe('PJSIP/10086@pstn');
    run.channel.callerHangsUp();
    await run.done;
    const without = runFlows(flowTo('{ number: "10086" }'), {
      services: { dialer, bridges: new FakeBridges() },
    });
    await without.done;
    expect(without.trail.steps[0]).toMatchObject({ result: 'error' });
    expect(String((without.trail.steps[0]!.data as { error: string }).error)).toMatch(/needs a trunk/);
  });

  it('transfers to a queue through routing', async () => {
    const router = new FakeRouter();
    const run = runFlows(flowTo('{ queue: billing }'), { services: { router } });
    await tick(1);
    expect(router.last.request).toMatchObject({ queue: 'billing', callId: 'chan-1' });
    router.last.settle({ kind: 'connected', agent: 'agent3', agentChannelId: 'x', bridgeId: 'y' });
    const end = await run.done;
    expect(end.outcome).toBe('transferred');
  });
});
