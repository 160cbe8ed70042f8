// Issue mining on a schedule: the calls analysed in the last window, clustered into issues, kept
// as a run (qa_issue_runs), and the issues rising fast announced on the live events stream
// (`qa.issues.rising`) so supervisors hear of a new problem the day it starts.
import type { AppContext } from '../context.js';
import { publishLive } from '../events.js';
import { mineIssues, type IssueReport } from './issues/mine.js';
import { analysesIn, saveIssueRun } from './store.js';

type IssueContext = Pick<AppContext, 'config' | 'db' | 'redis' | 'keys'>;

export async function mineAndStoreIssues(
  ctx: IssueContext,
  now = new Date(),
): Promise<{ runId: number; calls: number; report: IssueReport }> {
  const to = now;
  const from = new Date(to.getTime() - ctx.config.qa.issueWindowDays * 86_400_000);
  const analyses = await analysesIn(ctx.db, { from, to });
  const report = mineIssues(
    analyses.map((a) => ({
      callId: a.callId,
      startedAt: new Date(a.startedAt),
      utterances: a.segments.map((s) => ({ seq: s.seq, text: s.text, party: s.party })),
    })),
  );
  const runId = await saveIssueRun(ctx.db, from, to, analyses.length, report);
  const rising = report.issues.filter((i) => i.rising);
  if (rising.length) {
    await publishLive(ctx.redis, ctx.keys, 'qa.issues.rising', {
      runId,
      from: from.toISOString(),
      to: to.toISOString(),
      issues: rising.map((i) => ({ label: i.label, terms: i.terms, count: i.count, growth: i.growth })),
    });
  }
  return { runId, calls: analyses.length, report };
}
