// Post-call analysis: the whole transcript of a finished call (the final segments QA kept as
// they came), with who took it from the call record, analysed and stored; consoles hear of it
// on the live stream (`qa.call.analysed`).
import type { AppContext } from '../context.js';
import { publishLive } from '../events.js';
import { analyseCall, type CallAnalysis } from './analyse.js';
import { analyseOptions } from './runtime.js';
import { callRecordOf, loadSegments, saveAnalysis } from './store.js';

type PostCallContext = Pick<AppContext, 'config' | 'db' | 'redis' | 'keys'>;

/** Analyses and stores a finished call; null when QA received no segment of it. */
export async function analyseFinishedCall(
  ctx: PostCallContext,
  callId: string,
): Promise<CallAnalysis | null> {
  const segments = await loadSegments(ctx.db, callId);
  if (!segments.length) return null;
  const record = await callRecordOf(ctx.db, callId);
  const analysis = analyseCall(
    {
      callId,
      segments,
      agent: record?.agent ?? null,
      queue: record?.queue ?? null,
      language: record?.language ?? null,
      ...(record ? { startedAt: record.startedAt } : {}),
    },
    analyseOptions(ctx),
  );
  await saveAnalysis(ctx.db, analysis, 'post-call');
  await publishLive(ctx.redis, ctx.keys, 'qa.call.analysed', {
    callId,
    agent: analysis.agent,
    queue: analysis.queue,
    score: analysis.score,
    complianceRate: analysis.compliance.rate,
    satisfaction: analysis.emotion.caller.satisfaction,
    swing: analysis.emotion.caller.swing !== null,
  });
  return analysis;
}
