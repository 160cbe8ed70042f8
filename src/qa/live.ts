// Live analysis of one final segment as it is said: its sentiment, kept for the post-call
// analysis; an alert to supervisors when the caller's anger crosses the threshold (once, until
// the caller calms down again) or a forbidden phrase is said. Alerts go on the live events
// stream (`qa.alert`) and into qa_alerts; every segment's emotion goes on the stream too
// (`qa.segment`) for consoles drawing the curve.
import type { AppContext } from '../context.js';
import { publishLive } from '../events.js';
import type { TranscriptSegment } from '../transcription/index.js';
import { PreparedCall } from './call.js';
import { segmentSentiment } from './emotion/index.js';
import { redact } from './pii/redact.js';
import { qaRules } from './runtime.js';
import { callRecordOf, saveAlert, saveSegment, type QaAlert } from './store.js';

/** Anger must fall this far below the threshold before a new alert can be raised. */
const rearmBelow = 0.25;
const liveStateTtlSeconds = 6 * 3600;

export interface LiveResult {
  valence: number;
  anger: number;
  alerts: QaAlert[];
}

type LiveContext = Pick<AppContext, 'config' | 'db' | 'redis' | 'keys'>;

export async function analyseLiveSegment(ctx: LiveContext, segment: TranscriptSegment): Promise<LiveResult> {
  const text = ctx.config.qa.redact ? redact(segment.text).text : segment.text;
  const { valence, anger } = segmentSentiment(text);
  await saveSegment(ctx.db, { ...segment, text }, { valence, anger });
  await publishLive(ctx.redis, ctx.keys, 'qa.segment', {
    callId: segment.callId,
    party: segment.party,
    startMs: segment.startMs,
    valence,
    anger,
  });
  const alerts: QaAlert[] = [];
  if (segment.party === 'caller' && (await angerCrossed(ctx, segment.callId, anger)))
    alerts.push(await raise(ctx, { ...base(segment, text), kind: 'anger', level: anger, ruleId: null }));
  for (const hit of forbiddenHits(ctx, segment, text))
    alerts.push(
      await raise(ctx, {
        ...base(segment, text),
        kind: 'forbidden',
        level: hit.similarity,
        ruleId: hit.ruleId,
      }),
    );
  return { valence, anger, alerts };
}

function base(segment: TranscriptSegment, text: string) {
  return {
    callId: segment.callId,
    party: segment.party,
    atMs: segment.startMs,
    text,
    agent: null,
    queue: null,
  };
}

/** True once per episode of anger: set atomically so two workers never both alert. */
async function angerCrossed(ctx: LiveContext, callId: string, anger: number): Promise<boolean> {
  const key = ctx.keys.qaLive(callId);
  const threshold = ctx.config.qa.angerThreshold;
  if (anger >= threshold) {
    const fresh = await ctx.redis.hsetnx(key, 'alerted', '1');
    await ctx.redis.expire(key, liveStateTtlSeconds);
    return fresh === 1;
  }
  if (anger < threshold - rearmBelow) await ctx.redis.hdel(key, 'alerted');
  return false;
}

function forbiddenHits(ctx: LiveContext, segment: TranscriptSegment, text: string) {
  const rules = qaRules(ctx).rules.filter((r) => r.checkSegment !== undefined);
  if (!rules.length) return [];
  const call = new PreparedCall(
    { callId: segment.callId, segments: [{ ...segment, seq: segment.seq ?? 0, text }] },
    qaRules(ctx).synonyms,
  );
  return rules.flatMap((rule) => {
    const hit = rule.checkSegment!(call, 0);
    return hit ? [{ ruleId: rule.id, similarity: hit.similarity ?? 1 }] : [];
  });
}

async function raise(ctx: LiveContext, alert: QaAlert): Promise<QaAlert> {
  const record = await callRecordOf(ctx.db, alert.callId);
  const full = { ...alert, agent: record?.agent ?? null, queue: record?.queue ?? null };
  const id = await saveAlert(ctx.db, full);
  await publishLive(ctx.redis, ctx.keys, 'qa.alert', { id, ...full });
  return { ...full, id };
}
