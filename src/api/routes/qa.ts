// QA results for consoles and integrations: analysed calls, scorecards, compliance, alerts,
// frequent issues, the analyst report (HTML, CSV, JSON), and analysis of a posted transcript.
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import {
  analyseCall,
  analyseFinishedCall,
  buildReport,
  analyseOptions,
  mineIssues,
  qaRules,
  qaStore,
  reportCsv,
  reportHtml,
  scorecardOf,
  scorecardsBy,
  transcriptFromJson,
  TranscriptImportError,
} from '../../qa/index.js';

import { ApiError } from '../errors.js';
import type { ApiServer } from '../fastify.js';

const week = 7 * 86_400_000;

const period = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  agent: z.string().min(1).max(200).optional(),
  queue: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** The period asked for: `to` defaults to now, `from` to a week before `to`. */
function periodOf(query: unknown) {
  const q = period.parse(query);
  const to = q.to ?? new Date();
  const from = q.from ?? new Date(to.getTime() - week);
  if (from >= to)
    throw new ApiError(
      'HOTLINE_QA_BAD_PERIOD',
      `from (${from.toISOString()}) must be before to (${to.toISOString()})`,
    );
  return { from, to, agent: q.agent, queue: q.queue, limit: q.limit };
}

const callParams = z.object({ id: z.string().min(1).max(200) });

export function qaRoutes(app: ApiServer, ctx: AppContext): void {
  app.get('/api/qa/rules', () =>
    qaRules(ctx).rules.map(({ id, kind, title, weight }) => ({ id, kind, title, weight })),
  );

  app.get('/api/qa/calls', async (req) => qaStore.listCalls(ctx.db, periodOf(req.query)));

  app.get('/api/qa/calls/:id', async (req) => {
    const { id } = callParams.parse(req.params);
    const analysis = await qaStore.getAnalysis(ctx.db, id);
    if (!analysis) throw new ApiError('HOTLINE_QA_NOT_ANALYSED', id);
    return analysis;
  });

  app.post('/api/qa/calls/:id/analyse', async (req) => {
    const { id } = callParams.parse(req.params);
    const analysis = await analyseFinishedCall(ctx, id);
    if (!analysis) throw new ApiError('HOTLINE_QA_NOT_ANALYSED', id);
    return analysis;
  });

  app.post('/api/qa/analyse', async (req, reply) => {
    const { store } = z.object({ store: z.enum(['true', 'false']).default('true') }).parse(req.query);
    let transcript;
    try {
      transcript = transcriptFromJson(req.body);
    } catch (err) {
      if (err instanceof TranscriptImportError) throw new ApiError('HOTLINE_QA_BAD_TRANSCRIPT', err.message);
      throw err;
    }
    const analysis = analyseCall(transcript, analyseOptions(ctx));
    if (store === 'true') await qaStore.saveAnalysis(ctx.db, analysis, 'api');
    return reply.status(store === 'true' ? 201 : 200).send(analysis);
  });

  app.get('/api/qa/scorecards', async (req) => {
    const { by } = z.object({ by: z.enum(['agent', 'queue']).default('agent') }).parse(req.query);
    const p = periodOf(req.query);
    return {
      from: p.from,
      to: p.to,
      by,
      scorecards: scorecardsBy(by, await qaStore.scoredCallsIn(ctx.db, p)),
    };
  });

  app.get('/api/qa/agents/:agent/scorecard', async (req) => {
    const { agent } = z.object({ agent: z.string().min(1).max(200) }).parse(req.params);
    const p = { ...periodOf(req.query), agent };
    return { from: p.from, to: p.to, ...scorecardOf(agent, await qaStore.scoredCallsIn(ctx.db, p)) };
  });

  app.get('/api/qa/compliance', async (req) => {
    const { by } = z.object({ by: z.enum(['agent', 'queue', 'rule']).default('rule') }).parse(req.query);
    const p = periodOf(req.query);
    const calls = await qaStore.scoredCallsIn(ctx.db, p);
    if (by === 'rule') return { from: p.from, to: p.to, by, rules: scorecardOf('(all)', calls).rules };
    const rates = scorecardsBy(by, calls).map((c) => ({
      [by]: c.subject,
      calls: c.calls,
      complianceRate: c.complianceRate,
    }));
    return { from: p.from, to: p.to, by, rates };
  });

  app.get('/api/qa/alerts', async (req) => {
    const p = periodOf(req.query);
    const { callId } = z.object({ callId: z.string().min(1).max(200).optional() }).parse(req.query);
    return qaStore.listAlerts(ctx.db, { from: p.from, to: p.to, callId, limit: p.limit ?? 200 });
  });

  app.get('/api/qa/issues', async (req) => {
    const p = periodOf(req.query);
    const { clusters, save } = z
      .object({
        clusters: z.coerce.number().int().min(1).max(200).optional(),
        save: z.enum(['true', 'false']).default('false'),
      })
      .parse(req.query);
    const analyses = await qaStore.analysesIn(ctx.db, p);
    const report = mineIssues(
      analyses.map((a) => ({
        callId: a.callId,
        startedAt: new Date(a.startedAt),
        utterances: a.segments.map((s) => ({ seq: s.seq, text: s.text, party: s.party })),
      })),
      clusters ? { clusters } : {},
    );
    const runId =
      save === 'true' ? await qaStore.saveIssueRun(ctx.db, p.from, p.to, analyses.length, report) : null;
    return { from: p.from, to: p.to, calls: analyses.length, runId, ...report };
  });

  app.get('/api/qa/report', async (req, reply) => {
    const { format } = z.object({ format: z.enum(['html', 'json', 'csv']).default('html') }).parse(req.query);
    const p = periodOf(req.query);
    const report = buildReport(await qaStore.analysesIn(ctx.db, p), p.from, p.to);
    const name = `qa-report-${p.from.toISOString().slice(0, 10)}_${p.to.toISOString().slice(0, 10)}`;
    if (format === 'json') return report;
    if (format === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(reportCsv(report));
    return reply.type('text/html; charset=utf-8').send(reportHtml(report));
  });
}
