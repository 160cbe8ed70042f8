import { describe, expect, it } from 'vitest';
import { mineIssues, periodOf, type IssueCall } from './mine.js';

function call(id: string, day: string, text: string): IssueCall {
  return {
    callId: id,
    startedAt: new Date(`${day}T10:00:00Z`),
    utterances: [{ seq: 0, text, party: 'caller' }],
  };
}

const refund = (i: number, day: string) =>
  call(`r${i}`, day, `我申请了退款，退款一直没有到账，退款什么时候到账 ${i}`);
const invoice = (i: number, day: string) =>
  call(`i${i}`, day, `发票开错了，发票抬头要改，能重新开发票吗 ${i}`);
const delivery = (i: number, day: string) =>
  call(`d${i}`, day, `my parcel delivery is late, the courier delivery never arrived ${i}`);

describe('issue mining', () => {
  it('clusters calls by issue in both languages and labels each with terms and an utterance', () => {
    const calls = [0, 1, 2, 3].flatMap((i) => [
      refund(i, '2026-11-02'),
      invoice(i, '2026-11-02'),
      delivery(i, '2026-11-02'),
    ]);
    const report = mineIssues(calls, { clusters: 3 });
    expect(report.issues).toHaveLength(3);
    const groups = report.issues.map((i) => new Set(i.calls.map((c) => c[0])));
    for (const g of groups) expect(g.size).toBe(1);
    const refundIssue = report.issues.find((i) => i.calls[0]!.startsWith('r'))!;
    expect(refundIssue.terms).toContain('退款');
    expect(refundIssue.representative!.text).toMatch(/退款/);
    expect(refundIssue.label).toMatch(/退款/);
  });

  it('counts calls per day and flags an issue rising fast', () => {
    const calls = [
      ...[0, 1].map((i) => invoice(i, '2026-11-02')),
      ...[2, 3].map((i) => invoice(i, '2026-11-03')),
      ...[4, 5].map((i) => invoice(i, '2026-11-04')),
      delivery(0, '2026-11-02'),
      ...[1, 2, 3, 4, 5, 6].map((i) => delivery(i, '2026-11-04')),
    ];
    const report = mineIssues(calls, { clusters: 2, granularity: 'day' });
    expect(report.periods).toEqual(['2026-11-02', '2026-11-03', '2026-11-04']);
    const deliveryIssue = report.issues.find((i) => i.calls.includes('d0'))!;
    expect(deliveryIssue.trend.map((t) => t.count)).toEqual([1, 0, 6]);
    expect(deliveryIssue.rising).toBe(true);
    expect(report.issues.find((i) => i.calls.includes('i0'))!.rising).toBe(false);
  });

  it('buckets weeks by their Monday', () => {
    expect(periodOf(new Date('2026-11-26T12:00:00Z'), 'week')).toBe('2026-11-23');
  });
});
