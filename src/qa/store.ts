// QA's Postgres queries (tables from migration 050_qa.sql): analyses, rule outcomes, the
// segments received live, alerts and issue-mining runs.
import type { Db } from '../store/index.js';
import type { CallAnalysis } from './analyse.js';
import type { IssueReport } from './issues/mine.js';
import { scoredCallOf, type ScoredCall } from './score/scorecard.js';
import type { Party, QaSegment } from './types.js';

export type AnalysisSource = 'live' | 'post-call' | 'import' | 'api';

export async function saveAnalysis(db: Db, a: CallAnalysis, source: AnalysisSource): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO qa_calls (call_id, source, agent, queue, language, started_at, analysed_at, score, compliance_rate,
         rules_applicable, rules_passed, caller_mean, caller_max_anger, caller_negative, swing, agent_negative,
         satisfaction, result)
       VALUES ($1,$2,$3,$4,$5,$6,now(),$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
       ON CONFLICT (call_id) DO UPDATE SET source = EXCLUDED.source, agent = EXCLUDED.agent, queue = EXCLUDED.queue,
         language = EXCLUDED.language, started_at = EXCLUDED.started_at, analysed_at = now(), score = EXCLUDED.score,
         compliance_rate = EXCLUDED.compliance_rate, rules_applicable = EXCLUDED.rules_applicable,
         rules_passed = EXCLUDED.rules_passed, caller_mean = EXCLUDED.caller_mean,
         caller_max_anger = EXCLUDED.caller_max_anger, caller_negative = EXCLUDED.caller_negative,
         swing = EXCLUDED.swing, agent_negative = EXCLUDED.agent_negative, satisfaction = EXCLUDED.satisfaction,
         result = EXCLUDED.result`,
      [
        a.callId,
        source,
        a.agent,
        a.queue,
        a.language,
        a.startedAt,
        a.score,
        a.compliance.rate,
        a.compliance.applicable,
        a.compliance.passed,
        a.emotion.caller.mean,
        a.emotion.caller.maxAnger,
        a.emotion.caller.negative,
        a.emotion.caller.swing !== null,
        a.emotion.agent.negativeTone,
        a.emotion.caller.satisfaction,
        JSON.stringify(a),
      ],
    );
    await client.query('DELETE FROM qa_rule_results WHERE call_id = $1', [a.callId]);
    for (const r of a.rules) {
      const first = r.evidence[0];
      await client.query(
        `INSERT INTO qa_rule_results (call_id, rule_id, kind, status, weight, seq, at_ms, reason)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
        [a.callId, r.ruleId, r.kind, r.status, r.weight, first?.seq ?? null, first?.atMs ?? null, r.reason],
      );
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function getAnalysis(db: Db, callId: string): Promise<CallAnalysis | null> {
  const { rows } = await db.query<{ result: CallAnalysis }>(
    'SELECT result FROM qa_calls WHERE call_id = $1',
    [callId],
  );
  return rows[0]?.result ?? null;
}

export interface CallFilter {
  from: Date;
  to: Date;
  agent?: string | undefined;
  queue?: string | undefined;
  limit?: number | undefined;
}

function where(f: CallFilter): { sql: string; values: unknown[] } {
  const values: unknown[] = [f.from, f.to];
  let sql = 'started_at >= $1 AND started_at < $2';
  if (f.agent) {
    values.push(f.agent);
    sql += ` AND agent = $${values.length}`;
  }
  if (f.queue) {
    values.push(f.queue);
    sql += ` AND queue = $${values.length}`;
  }
  return { sql, values };
}

export interface CallSummary {
  callId: string;
  source: string;
  agent: string | null;
  queue: string | null;
  startedAt: Date;
  score: number | null;
  complianceRate: number | null;
  callerNegative: boolean;
  swing: boolean;
  agentNegative: boolean;
  satisfaction: string | null;
}

export async function listCalls(db: Db, f: CallFilter): Promise<CallSummary[]> {
  const { sql, values } = where(f);
  values.push(f.limit ?? 100);
  const { rows } = await db.query<{
    call_id: string;
    source: string;
    agent: string | null;
    queue: string | null;
    started_at: Date;
    score: number | null;
    compliance_rate: number | null;
    caller_negative: boolean;
    swing: boolean;
    agent_negative: boolean;
    satisfaction: string | null;
  }>(
    `SELECT call_id, source, agent, queue, started_at, score, compliance_rate, caller_negative, swing, agent_negative,
            satisfaction
     FROM qa_calls WHERE ${sql} ORDER BY started_at DESC LIMIT $${values.length}`,
    values,
  );
  return rows.map((r) => ({
    callId: r.call_id,
    source: r.source,
    agent: r.agent,
    queue: r.queue,
    startedAt: r.started_at,
    score: r.score,
    complianceRate: r.compliance_rate,
    callerNegative: r.caller_negative,
    swing: r.swing,
    agentNegative: r.agent_negative,
    satisfaction: r.satisfaction,
  }));
}

/** Every analysis in the period (for scorecards, reports and issue mining). */
export async function analysesIn(db: Db, f: CallFilter): Promise<CallAnalysis[]> {
  const { sql, values } = where(f);
  values.push(f.limit ?? 50_000);
  const { rows } = await db.query<{ result: CallAnalysis }>(
    `SELECT result FROM qa_calls WHERE ${sql} ORDER BY started_at LIMIT $${values.length}`,
    values,
  );
  return rows.map((r) => r.result);
}

export async function scoredCallsIn(db: Db, f: CallFilter): Promise<ScoredCall[]> {
  return (await analysesIn(db, f)).map(scoredCallOf);
}

export async function saveSegment(
  db: Db,
  s: {
    callId: string;
    party: Party;
    startMs: number;
    endMs: number;
    text: string;
    language?: string | undefined;
  },
  emotion: { valence: number; anger: number },
): Promise<void> {
  await db.query(
    `INSERT INTO qa_segments (call_id, party, start_ms, end_ms, text, language, valence, anger)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
     ON CONFLICT (call_id, party, start_ms) DO UPDATE SET end_ms = EXCLUDED.end_ms, text = EXCLUDED.text,
       valence = EXCLUDED.valence, anger = EXCLUDED.anger`,
    [
      s.callId,
      s.party,
      Math.round(s.startMs),
      Math.round(s.endMs),
      s.text,
      s.language ?? null,
      emotion.valence,
      emotion.anger,
    ],
  );
}

export async function loadSegments(db: Db, callId: string): Promise<QaSegment[]> {
  const { rows } = await db.query<{
    party: Party;
    start_ms: number;
    end_ms: number;
    text: string;
    language: string | null;
  }>(
    'SELECT party, start_ms, end_ms, text, language FROM qa_segments WHERE call_id = $1 ORDER BY start_ms, party',
    [callId],
  );
  return rows.map((r, seq) => ({
    seq,
    party: r.party,
    startMs: r.start_ms,
    endMs: r.end_ms,
    text: r.text,
    ...(r.language ? { language: r.language } : {}),
  }));
}

/** What the call record (CDR) knows of a call: who took it, in which queue, when. */
export async function callRecordOf(
  db: Db,
  callId: string,
): Promise<{ agent: string | null; queue: string | null; startedAt: Date; language: string | null } | null> {
  const { rows } = await db.query<{
    agent: string | null;
    queue: string | null;
    started_at: Date;
    language: string | null;
  }>('SELECT agent, queue, started_at, language FROM calls WHERE id = $1', [callId]);
  const r = rows[0];
  return r ? { agent: r.agent, queue: r.queue, startedAt: r.started_at, language: r.language } : null;
}

export interface QaAlert {
  id?: number;
  callId: string;
  kind: 'anger' | 'forbidden';
  party: Party;
  atMs: number;
  level: number | null;
  ruleId: string | null;
  text: string;
  agent: string | null;
  queue: string | null;
  createdAt?: Date;
}

export async function saveAlert(db: Db, a: QaAlert): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO qa_alerts (call_id, kind, party, at_ms, level, rule_id, text, agent, queue)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
    [a.callId, a.kind, a.party, Math.round(a.atMs), a.level, a.ruleId, a.text, a.agent, a.queue],
  );
  return Number(rows[0]!.id);
}

export async function listAlerts(
  db: Db,
  f: { from: Date; to: Date; callId?: string | undefined; limit?: number },
): Promise<QaAlert[]> {
  const values: unknown[] = [f.from, f.to];
  let sql = 'created_at >= $1 AND created_at < $2';
  if (f.callId) {
    values.push(f.callId);
    sql += ` AND call_id = $${values.length}`;
  }
  values.push(f.limit ?? 200);
  const { rows } = await db.query<{
    id: string;
    call_id: string;
    kind: 'anger' | 'forbidden';
    party: Party;
    at_ms: number;
    level: number | null;
    rule_id: string | null;
    text: string;
    agent: string | null;
    queue: string | null;
    created_at: Date;
  }>(
    `SELECT * FROM qa_alerts WHERE ${sql} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    callId: r.call_id,
    kind: r.kind,
    party: r.party,
    atMs: r.at_ms,
    level: r.level,
    ruleId: r.rule_id,
    text: r.text,
    agent: r.agent,
    queue: r.queue,
    createdAt: r.created_at,
  }));
}

export async function saveIssueRun(
  db: Db,
  from: Date,
  to: Date,
  calls: number,
  report: IssueReport,
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO qa_issue_runs (period_from, period_to, calls, report) VALUES ($1,$2,$3,$4) RETURNING id',
    [from, to, calls, JSON.stringify(report)],
  );
  return Number(rows[0]!.id);
}
