// The QA service against the real Redis (a fresh key and BullMQ prefix per test, as BullMQ's own
// tests do) and the real Postgres (a fresh database per file).
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { testDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { testRedis, type TestRedis } from '../../../test/helpers/redis.js';
import { loadConfig } from '../../config.js';
import type { AppContext, Service } from '../../context.js';
import { HotlineEvents } from '../../events.js';
import { silentLogger } from '../../logger.js';
import { recordCallStart, updateCall } from '../../store/index.js';
import type { TranscriptSegment } from '../../transcription/index.js';
import { startQa } from './service.js';

const rulesDir = fileURLToPath(new URL('../../../qa', import.meta.url));

function segment(
  callId: string,
  party: 'caller' | 'agent',
  startMs: number,
  text: string,
): TranscriptSegment {
  return {
    callId,
    party,
    startMs,
    endMs: startMs + 2000,
    text,
    confidence: 0.9,
    language: 'en-US',
    final: true,
  };
}

async function streamTypes(r: TestRedis): Promise<string[]> {
  const entries = await r.redis.xrange(r.keys.eventsStream(), '-', '+');
  return entries.map(([, fields]) => fields[fields.indexOf('type') + 1]!);
}

describe('QA workers', () => {
  let t: TestDatabase;
  let r: TestRedis;
  let ctx: AppContext;
  let qa: Service | null = null;

  beforeAll(async () => {
    t = await testDatabase();
  });
  afterAll(() => t.drop());

  beforeEach(() => {
    r = testRedis();
    const config = loadConfig({
      HOTLINE_DATABASE_URL: t.url,
      HOTLINE_REDIS_URL: r.url,
      HOTLINE_REDIS_KEY_PREFIX: r.prefix,
      HOTLINE_QA_RULES_DIR: rulesDir,
      HOTLINE_QA_POST_CALL_DELAY_MS: '0',
      HOTLINE_QA_SEGMENT_FEED: 'events',
    });
    ctx = { config, log: silentLogger, db: t.db, redis: r.redis, keys: r.keys, events: new HotlineEvents() };
  });
  afterEach(async () => {
    await qa?.stop();
    qa = null;
    await r.cleanup();
  });

  it('analyses segments live, alerts on an angry caller and a forbidden phrase, and scores the call when it ends', async () => {
    qa = startQa(ctx);
    const callId = `call-${r.prefix}`;
    await recordCallStart(t.db, { id: callId, callerNumber: '+15550100' });
    await updateCall(t.db, callId, { agent: 'bob', queue: 'billing' });
    ctx.events.emit(
      'transcript.segment',
      segment(callId, 'agent', 0, 'Thank you for calling, how can I help you?'),
    );
    ctx.events.emit('transcript.segment', {
      ...segment(callId, 'caller', 3000, 'Hi I have a question'),
      final: false,
    });
    ctx.events.emit(
      'transcript.segment',
      segment(callId, 'caller', 3000, 'Hi, I have a question about my bill.'),
    );
    ctx.events.emit(
      'transcript.segment',
      segment(callId, 'caller', 6000, 'This is RIDICULOUS!!! I am furious, I want to complain!'),
    );
    ctx.events.emit(
      'transcript.segment',
      segment(callId, 'agent', 9000, "Calm down, that's not my problem."),
    );

    await vi.waitFor(
      async () => {
        const { rows } = await t.db.query(
          'SELECT kind, party, agent FROM qa_alerts WHERE call_id = $1 ORDER BY kind',
          [callId],
        );
        expect(rows).toEqual([
          { kind: 'anger', party: 'caller', agent: 'bob' },
          { kind: 'forbidden', party: 'agent', agent: 'bob' },
        ]);
      },
      { timeout: 15_000, interval: 100 },
    );
    const { rows: segments } = await t.db.query(
      'SELECT count(*)::int AS n FROM qa_segments WHERE call_id = $1',
      [callId],
    );
    expect(segments[0].n).toBe(4);

    ctx.events.emit('call.ended', { callId, cause: 16, outcome: 'completed' });
    await vi.waitFor(
      async () => {
        const { rows } = await t.db.query(
          'SELECT source, agent, queue, score, caller_negative FROM qa_calls WHERE call_id = $1',
          [callId],
        );
        expect(rows[0]).toMatchObject({
          source: 'post-call',
          agent: 'bob',
          queue: 'billing',
          caller_negative: true,
        });
        expect(rows[0].score).toBeLessThan(100);
      },
      { timeout: 15_000, interval: 100 },
    );
    const { rows: outcomes } = await t.db.query(
      "SELECT rule_id, status, seq FROM qa_rule_results WHERE call_id = $1 AND rule_id IN ('greeting', 'no-rude-language') ORDER BY rule_id",
      [callId],
    );
    expect(outcomes).toEqual([
      { rule_id: 'greeting', status: 'pass', seq: 0 },
      { rule_id: 'no-rude-language', status: 'fail', seq: 3 },
    ]);
    const types = await streamTypes(r);
    expect(types.filter((x) => x === 'qa.segment')).toHaveLength(4);
    expect(types).toEqual(expect.arrayContaining(['qa.alert', 'qa.call.analysed']));
  });

  it('alerts once per episode of anger, not on every angry segment', async () => {
    qa = startQa(ctx);
    const callId = `angry-${r.prefix}`;
    ctx.events.emit(
      'transcript.segment',
      segment(callId, 'caller', 0, 'This is unacceptable!!! I am furious!'),
    );
    ctx.events.emit(
      'transcript.segment',
      segment(callId, 'caller', 3000, 'RIDICULOUS!!! I want to complain!'),
    );
    await vi.waitFor(
      async () => {
        const { rows } = await t.db.query('SELECT count(*)::int AS n FROM qa_segments WHERE call_id = $1', [
          callId,
        ]);
        expect(rows[0].n).toBe(2);
      },
      { timeout: 15_000, interval: 100 },
    );
    const { rows } = await t.db.query(
      "SELECT count(*)::int AS n FROM qa_alerts WHERE call_id = $1 AND kind = 'anger'",
      [callId],
    );
    expect(rows[0].n).toBe(1);
  });

  it('takes segments from the transcripts stream in a consumer group, and acknowledges them', async () => {
    ctx = { ...ctx, config: { ...ctx.config, qa: { ...ctx.config.qa, segmentFeed: 'stream' } } };
    qa = startQa(ctx);
    const callId = `stream-${r.prefix}`;
    // The group starts at the stream's end: wait until the reader is blocked in XREADGROUP.
    await vi.waitFor(
      async () => expect(await r.redis.client('LIST')).toMatch(/name=hotline:qa-feed .*cmd=xreadgroup/),
      {
        timeout: 10_000,
      },
    );
    const s = segment(callId, 'caller', 0, '我很满意，谢谢');
    // The fields transcription writes (src/transcription/store.ts): flat fields plus the JSON.
    await r.redis.xadd(
      r.keys.transcriptsStream(),
      '*',
      'callId',
      callId,
      'party',
      'caller',
      'final',
      '1',
      'segment',
      JSON.stringify(s),
    );
    await vi.waitFor(
      async () => {
        const { rows } = await t.db.query('SELECT text, valence FROM qa_segments WHERE call_id = $1', [
          callId,
        ]);
        expect(rows).toHaveLength(1);
        expect(rows[0].valence).toBeGreaterThan(0);
        const pending = (await r.redis.xpending(r.keys.transcriptsStream(), 'qa')) as [number, ...unknown[]];
        expect(pending[0]).toBe(0);
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it("analyses a finished call from transcription's stored segments", async () => {
    qa = startQa(ctx);
    const callId = `stored-${r.prefix}`;
    await t.db.query(
      `INSERT INTO transcript_segments (call_id, party, seq, start_ms, end_ms, text, confidence, language, provider)
       VALUES ($1, 'agent', 0, 0, 2000, '您好，很高兴为您服务', 0.9, 'cmn-Hans-CN', 'test'),
              ($1, 'caller', 0, 2500, 5000, '谢谢，问题解决了', 0.9, 'cmn-Hans-CN', 'test')`,
      [callId],
    );
    ctx.events.emit('call.ended', { callId, cause: 16 });
    await vi.waitFor(
      async () => {
        const { rows } = await t.db.query('SELECT satisfaction FROM qa_calls WHERE call_id = $1', [callId]);
        expect(rows[0]).toEqual({ satisfaction: 'positive' });
      },
      { timeout: 15_000, interval: 100 },
    );
    const { rows } = await t.db.query(
      "SELECT status FROM qa_rule_results WHERE call_id = $1 AND rule_id = 'greeting'",
      [callId],
    );
    expect(rows[0]).toEqual({ status: 'pass' });
  });

  it('skips the post-call analysis of a call QA heard nothing of', async () => {
    qa = startQa(ctx);
    ctx.events.emit('call.ended', { callId: 'silent-call', cause: 16 });
    await vi.waitFor(
      async () => {
        const done = await r.redis.zcard(`${r.keys.bullPrefix}:qa-post-call:completed`);
        expect(done).toBe(1);
      },
      { timeout: 15_000, interval: 100 },
    );
    const { rows } = await t.db.query(
      "SELECT count(*)::int AS n FROM qa_calls WHERE call_id = 'silent-call'",
    );
    expect(rows[0].n).toBe(0);
  });
});
