// Scorecards: a call's QA score from its weighted rules, and an agent's (or queue's) card over a
// period from their calls' results.
import type { RuleOutcome } from '../types.js';

/** 0..100: the weight of the rules passed over the weight of the rules that applied. */
export function scoreOf(rules: readonly RuleOutcome[]): number | null {
  const applicable = rules.filter((r) => r.status !== 'not-applicable' && r.weight > 0);
  const total = applicable.reduce((sum, r) => sum + r.weight, 0);
  if (!total) return null;
  const passed = applicable.filter((r) => r.status === 'pass').reduce((sum, r) => sum + r.weight, 0);
  return Math.round((1000 * passed) / total) / 10;
}

/** What a scorecard needs of one analysed call. */
export interface ScoredCall {
  callId: string;
  agent: string | null;
  queue: string | null;
  score: number | null;
  rules: Pick<RuleOutcome, 'ruleId' | 'title' | 'status'>[];
  callerNegative: boolean;
  swing: boolean;
  agentNegativeTone: boolean;
}

export interface RuleRate {
  ruleId: string;
  title: string;
  passed: number;
  failed: number;
  rate: number | null;
}

export interface Scorecard {
  /** The agent, queue or '(all)' the card is about. */
  subject: string;
  calls: number;
  meanScore: number | null;
  complianceRate: number | null;
  rules: RuleRate[];
  negativeCallers: number;
  swings: number;
  agentNegativeTone: number;
}

export function scorecardOf(subject: string, calls: readonly ScoredCall[]): Scorecard {
  const scored = calls.filter((c) => c.score !== null);
  const byRule = new Map<string, RuleRate>();
  let passed = 0;
  let applicable = 0;
  for (const call of calls) {
    for (const r of call.rules) {
      if (r.status === 'not-applicable') continue;
      const rate = byRule.get(r.ruleId) ?? {
        ruleId: r.ruleId,
        title: r.title,
        passed: 0,
        failed: 0,
        rate: null,
      };
      if (r.status === 'pass') rate.passed++;
      else rate.failed++;
      byRule.set(r.ruleId, rate);
      applicable++;
      if (r.status === 'pass') passed++;
    }
  }
  for (const rate of byRule.values()) rate.rate = rate.passed / (rate.passed + rate.failed);
  return {
    subject,
    calls: calls.length,
    meanScore: scored.length
      ? Math.round((10 * scored.reduce((s, c) => s + c.score!, 0)) / scored.length) / 10
      : null,
    complianceRate: applicable ? passed / applicable : null,
    rules: [...byRule.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    negativeCallers: calls.filter((c) => c.callerNegative).length,
    swings: calls.filter((c) => c.swing).length,
    agentNegativeTone: calls.filter((c) => c.agentNegativeTone).length,
  };
}

/** One scorecard per agent (or queue), best first. */
export function scorecardsBy(key: 'agent' | 'queue', calls: readonly ScoredCall[]): Scorecard[] {
  const groups = new Map<string, ScoredCall[]>();
  for (const call of calls) {
    const subject = call[key] ?? '(none)';
    groups.set(subject, [...(groups.get(subject) ?? []), call]);
  }
  return [...groups.entries()]
    .map(([subject, group]) => scorecardOf(subject, group))
    .sort((a, b) => (b.meanScore ?? -1) - (a.meanScore ?? -1) || a.subject.localeCompare(b.subject));
}

export function scoredCallOf(a: {
  callId: string;
  agent: string | null;
  queue: string | null;
  score: number | null;
  rules: RuleOutcome[];
  emotion: { caller: { negative: boolean; swing: unknown }; agent: { negativeTone: boolean } };
}): ScoredCall {
  return {
    callId: a.callId,
    agent: a.agent,
    queue: a.queue,
    score: a.score,
    rules: a.rules.map(({ ruleId, title, status }) => ({ ruleId, title, status })),
    callerNegative: a.emotion.caller.negative,
    swing: a.emotion.caller.swing !== null,
    agentNegativeTone: a.emotion.agent.negativeTone,
  };
}
