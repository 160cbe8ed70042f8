import { describe, expect, it } from 'vitest';
import { flowFrom, runFlows } from '../testing/harness.js';

const flow = flowFrom(`
start: hours
steps:
  hours:
    verb: hours
    timezone: Asia/Shanghai
    weekly:
      mon-fri: "09:00-18:00"
      sat: ["10:00-12:00", "13:00-16:00"]
    holidays: [2026-10-01, { date: 2026-10-02, name: National Day }]
    open: open
    closed: closed
    holiday: holiday
  open: { verb: hangup, outcome: open }
  closed: { verb: hangup, outcome: closed }
  holiday: { verb: hangup, outcome: holiday }
`);

async function at(iso: string): Promise<string> {
  const run = runFlows(flow, { services: { now: () => new Date(iso) } });
  return (await run.done).outcome;
}

describe('hours', () => {
  it('is open during the hours of the day in the flow time zone', async () => {
    // Monday 2026-11-23 09:30 in Shanghai is 01:30 UTC
    expect(await at('2026-11-23T01:30:00Z')).toBe('open');
    expect(await at('2026-11-23T00:59:00Z')).toBe('closed');
    expect(await at('2026-11-23T10:00:00Z')).toBe('closed'); // 18:00 local: closing time
  });

  it('knows split hours and closed days', async () => {
    expect(await at('2026-11-28T02:30:00Z')).toBe('open'); // Saturday 10:30
    expect(await at('2026-11-28T04:30:00Z')).toBe('closed'); // Saturday 12:30 (lunch)
    expect(await at('2026-11-29T02:30:00Z')).toBe('closed'); // Sunday
  });

  it('is closed on holidays even during normal hours', async () => {
    expect(await at('2026-10-01T03:00:00Z')).toBe('holiday');
    expect(await at('2026-10-02T03:00:00Z')).toBe('holiday');
  });
});

describe('branch', () => {
  const branchFlow = flowFrom(`
start: b
steps:
  b:
    verb: branch
    when:
      - if: { all: [{ var: customer.tier, equals: vip }, { var: customer.openOrders, gt: 0 }] }
        next: vip-orders
      - if: { caller: { startsWith: "+86" }, }
        next: china
      - if: { language: zh }
        next: chinese
      - if: { time: { after: "22:00", timezone: Asia/Shanghai } }
        next: night
    otherwise: other
  vip-orders: { verb: hangup, outcome: vip-orders }
  china: { verb: hangup, outcome: china }
  chinese: { verb: hangup, outcome: chinese }
  night: { verb: hangup, outcome: night }
  other: { verb: hangup, outcome: other }
`);

  it('takes the first condition that holds: variables, caller number, language, time', async () => {
    const vip = runFlows(branchFlow, { vars: { customer: { tier: 'vip', openOrders: '2' } } });
    expect((await vip.done).outcome).toBe('vip-orders');
    expect(vip.trail.steps[0]!.data).toMatchObject({ when: 0 });

    const china = runFlows(branchFlow, { vars: { customer: { tier: 'vip', openOrders: 0 } } });
    expect((await china.done).outcome).toBe('china');

    const { FakeChannel } = await import('../testing/fakes.js');
    const late = runFlows(branchFlow, {
      channel: new FakeChannel('c2', '+14155550100'),
      services: { now: () => new Date('2026-11-23T15:00:00Z') },
    });
    expect((await late.done).outcome).toBe('night');

    const day = runFlows(branchFlow, {
      channel: new FakeChannel('c3', '+14155550100'),
      services: { now: () => new Date('2026-11-23T03:00:00Z') },
    });
    expect((await day.done).outcome).toBe('other');
  });
});
