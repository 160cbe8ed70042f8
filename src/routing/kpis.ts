// Contact-center KPIs, computed from `queue_log` (never from live state, so they survive restarts
// and any period can be asked for). Definitions, also in docs/routing.md:
//   offered          callers who joined the queue (enqueue)
//   service level    answered within the queue's target / (answered + abandoned after the target
//                    + overflowed); callers who hung up before the target are left out
//   ASA              average wait of answered callers (speed of answer)
//   AHT              average talk time + average wrap-up time of completed calls
//   abandonment      abandoned / offered
//   longest wait     the longest a caller waited before an answer, abandon or overflow
//   occupancy        time handling calls (reserved, ringing, on-call, wrap-up) / that time plus
//                    time available; aux and logged-out time are left out. A state's time counts
//                    in the period where the agent left it (`agent-state` events, and `reserve`
//                    events, which carry the agent's move from available to reserved).
import type { Db } from '../store/index.js';

export type KpiInterval = 'hour' | 'day' | 'total';

export interface KpiQuery {
  from: Date;
  to: Date;
  queue?: string;
  interval?: KpiInterval;
  /** Service-level target in seconds per queue (default 20). */
  serviceLevelSeconds?: Record<string, number>;
}

export interface QueueKpis {
  queue: string;
  /** Start of the period (the query's `from` for interval `total`). */
  period: Date;
  offered: number;
  answered: number;
  abandoned: number;
  overflowed: number;
  serviceLevelSeconds: number;
  /** 0–1, null with nothing to measure. */
  serviceLevel: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  abandonmentRate: number | null;
  longestWaitSeconds: number | null;
}

export interface AgentKpis {
  agent: string;
  answered: number;
  missed: number;
  talkSeconds: number;
  wrapUpSeconds: number;
  ahtSeconds: number | null;
  availableSeconds: number;
  auxSeconds: number;
  occupancy: number | null;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const num = (v: unknown): number => Number(v ?? 0);

function periodSql(interval: KpiInterval): string {
  return interval === 'total' ? '$1::timestamptz' : `date_trunc('${interval}', at)`;
}

export async function queueKpis(db: Db, q: KpiQuery): Promise<QueueKpis[]> {
  const interval = q.interval ?? 'total';
  const sl = q.serviceLevelSeconds ?? {};
  const { rows } = await db.query<Record<string, unknown>>(
    `WITH targets AS (
       SELECT key AS queue, value::numeric * 1000 AS target_ms FROM jsonb_each_text($4::jsonb)
     ), ev AS (
       SELECT l.*, ${periodSql(interval)} AS period, COALESCE(t.target_ms, 20000) AS target_ms
       FROM queue_log l LEFT JOIN targets t ON t.queue = l.queue
       WHERE l.at >= $1 AND l.at < $2 AND l.queue IS NOT NULL AND ($3::text IS NULL OR l.queue = $3)
     )
     SELECT queue, period, max(target_ms) AS target_ms,
       count(*) FILTER (WHERE event = 'enqueue') AS offered,
       count(*) FILTER (WHERE event = 'answer') AS answered,
       count(*) FILTER (WHERE event = 'answer' AND wait_ms <= target_ms) AS answered_in_target,
       count(*) FILTER (WHERE event = 'abandon') AS abandoned,
       count(*) FILTER (WHERE event = 'abandon' AND wait_ms <= target_ms) AS abandoned_short,
       count(*) FILTER (WHERE event = 'overflow') AS overflowed,
       avg(wait_ms) FILTER (WHERE event = 'answer') AS asa_ms,
       count(*) FILTER (WHERE event = 'complete') AS completed,
       avg((data->>'talkMs')::numeric) FILTER (WHERE event = 'complete') AS talk_ms,
       avg((data->>'wrapMs')::numeric) FILTER (WHERE event = 'wrap-up-end') AS wrap_ms,
       max(wait_ms) FILTER (WHERE event IN ('answer', 'abandon', 'overflow')) AS longest_ms
     FROM ev GROUP BY queue, period ORDER BY queue, period`,
    [q.from, q.to, q.queue ?? null, JSON.stringify(sl)],
  );
  return rows.map((r) => {
    const answered = num(r.answered);
    const abandoned = num(r.abandoned);
    const overflowed = num(r.overflowed);
    const offered = num(r.offered);
    const measured = answered + abandoned - num(r.abandoned_short) + overflowed;
    const talk = r.talk_ms === null ? null : num(r.talk_ms);
    return {
      queue: String(r.queue),
      period: new Date(r.period as string),
      offered,
      answered,
      abandoned,
      overflowed,
      serviceLevelSeconds: num(r.target_ms) / 1000,
      serviceLevel: ratio(num(r.answered_in_target), measured),
      asaSeconds: r.asa_ms === null ? null : num(r.asa_ms) / 1000,
      ahtSeconds: talk === null ? null : (talk + num(r.wrap_ms)) / 1000,
      abandonmentRate: ratio(abandoned, offered),
      longestWaitSeconds: r.longest_ms === null ? null : num(r.longest_ms) / 1000,
    };
  });
}

export async function agentKpis(
  db: Db,
  q: Pick<KpiQuery, 'from' | 'to'> & { agent?: string },
): Promise<AgentKpis[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT agent,
       count(*) FILTER (WHERE event = 'answer') AS answered,
       count(*) FILTER (WHERE event = 'no-answer' AND data->>'reason' <> 'expired') AS missed,
       coalesce(sum((data->>'talkMs')::numeric) FILTER (WHERE event = 'complete'), 0) AS talk_ms,
       count(*) FILTER (WHERE event = 'complete') AS completed,
       coalesce(sum((data->>'wrapMs')::numeric) FILTER (WHERE event = 'wrap-up-end'), 0) AS wrap_ms,
       coalesce(sum((data->>'ms')::numeric) FILTER (WHERE event IN ('agent-state', 'reserve')
         AND data->>'from' IN ('reserved', 'ringing', 'on-call', 'wrap-up')), 0) AS handling_ms,
       coalesce(sum((data->>'ms')::numeric) FILTER (WHERE event IN ('agent-state', 'reserve')
         AND data->>'from' = 'available'), 0) AS available_ms,
       coalesce(sum((data->>'ms')::numeric) FILTER (WHERE event IN ('agent-state', 'reserve')
         AND data->>'from' = 'aux'), 0) AS aux_ms
     FROM queue_log
     WHERE at >= $1 AND at < $2 AND agent IS NOT NULL AND ($3::text IS NULL OR agent = $3)
     GROUP BY agent ORDER BY agent`,
    [q.from, q.to, q.agent ?? null],
  );
  return rows.map((r) => {
    const completed = num(r.completed);
    const talk = num(r.talk_ms);
    const wrap = num(r.wrap_ms);
    const handling = num(r.handling_ms);
    return {
      agent: String(r.agent),
      answered: num(r.answered),
      missed: num(r.missed),
      talkSeconds: talk / 1000,
      wrapUpSeconds: wrap / 1000,
      ahtSeconds: completed ? (talk + wrap) / completed / 1000 : null,
      availableSeconds: num(r.available_ms) / 1000,
      auxSeconds: num(r.aux_ms) / 1000,
      occupancy: ratio(handling, handling + num(r.available_ms)),
    };
  });
}
