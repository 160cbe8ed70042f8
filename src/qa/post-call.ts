// Post-call analysis: the whole transcript of a finished call (transcription's final segments
// in Postgres, or those QA kept as they came when transcription has none, e.g. segments fed by
// another source), with who took it from the call record, analysed and stored; consoles hear of
// it on the live stream (`qa.call.analysed`).
import type { AppContext } from '../context.js';
import { publishLive } from '../events.js';
import { transcriptOf } from '../transcription/index.js';
import { analyseCall, type CallAnalysis } from './analyse.js';
import { analyseOptions } from './runtime.js';
import { callRecordOf, loadSegments, saveAnalysis } from './store.js';
import type { QaSegment } from './types.js';

type PostCallContext = Pick<AppContext, 'config' | 'db' | 'redis' | 'keys'>;

/** The call's final segments: transcription's record of them, else those QA kept live. */
async function segmentsOf(ctx: PostCallContext, callId: string): Promise<QaSegment[]> {
  const finals = await transcriptOf(ctx.db, callId);
  if (!finals.length) return loadSegments(ctx.db, callId);
  return finals.map((s, seq) => ({
    seq,
    party: s.party,
    startMs: s.startMs,
    endMs: s.endMs,
    text: s.text,
    language: s.language,
  }));
}

/** Analyses and stores a finished call; null when no segment of it was transcribed. */
export async function analyseFinishedCall(
  ctx: PostCallContext,
  callId: string,
): Promise<CallAnalysis | null> {
  const segments = await segmentsOf(ctx, callId);
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
