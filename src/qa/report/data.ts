// An analyst's report for a period, as data: totals, compliance per rule, agent and queue,
// scorecards, emotion, and the frequent issues with their trends. The HTML, CSV and JSON
// exports are all renderings of this.
import type { CallAnalysis } from '../analyse.js';
import { mineIssues, periodOf, type IssueReport } from '../issues/mine.js';
import { scorecardOf, scorecardsBy, scoredCallOf, type Scorecard } from '../score/scorecard.js';

export interface ReportData {
  from: string;
  to: string;
  generatedAt: string;
  totals: {
    calls: number;
    meanScore: number | null;
    complianceRate: number | null;
    negativeCallers: number;
    swings: number;
    satisfaction: Record<'negative' | 'neutral' | 'positive', number>;
  };
  overall: Scorecard;
  agents: Scorecard[];
  queues: Scorecard[];
  /** Compliance rate per day (or week, for long periods), for the trend chart. */
  complianceTrend: { period: string; rate: number | null; calls: number }[];
  issues: IssueReport;
  calls: {
    callId: string;
    startedAt: string;
    agent: string | null;
    queue: string | null;
    score: number | null;
    complianceRate: number | null;
    satisfaction: string;
    callerNegative: boolean;
    swing: boolean;
    issue: string | null;
  }[];
}

export function buildReport(
  analyses: readonly CallAnalysis[],
  from: Date,
  to: Date,
  options: { clusters?: number } = {},
): ReportData {
  const scored = analyses.map(scoredCallOf);
  const issues = mineIssues(
    analyses.map((a) => ({
      callId: a.callId,
      startedAt: new Date(a.startedAt),
      utterances: a.segments.map((s) => ({ seq: s.seq, text: s.text, party: s.party })),
    })),
    options.clusters ? { clusters: options.clusters } : {},
  );
  const overall = scorecardOf('(all)', scored);
  const satisfaction = { negative: 0, neutral: 0, positive: 0 };
  for (const a of analyses) satisfaction[a.emotion.caller.satisfaction]++;
  const labelOf = new Map(issues.issues.map((i) => [i.id, i.label]));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: new Date().toISOString(),
    totals: {
      calls: analyses.length,
      meanScore: overall.meanScore,
      complianceRate: overall.complianceRate,
      negativeCallers: overall.negativeCallers,
      swings: overall.swings,
      satisfaction,
    },
    overall,
    agents: scorecardsBy('agent', scored),
    queues: scorecardsBy('queue', scored),
    complianceTrend: issues.periods.map((period) => {
      const inPeriod = analyses.filter((a) => periodOf(new Date(a.startedAt), issues.granularity) === period);
      const passed = inPeriod.reduce((n, a) => n + a.compliance.passed, 0);
      const applicable = inPeriod.reduce((n, a) => n + a.compliance.applicable, 0);
      return { period, rate: applicable ? passed / applicable : null, calls: inPeriod.length };
    }),
    issues,
    calls: analyses.map((a) => {
      const issue = issues.assignment[a.callId];
      return {
        callId: a.callId,
        startedAt: a.startedAt,
        agent: a.agent,
        queue: a.queue,
        score: a.score,
        complianceRate: a.compliance.rate,
        satisfaction: a.emotion.caller.satisfaction,
        callerNegative: a.emotion.caller.negative,
        swing: a.emotion.caller.swing !== null,
        issue: issue === undefined ? null : (labelOf.get(issue) ?? null),
      };
    }),
  };
}
