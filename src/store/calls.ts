// The call record (CDR) and its event trail: written as the call happens so a crash loses at
// most the step in flight.
import type { Db } from './db.js';

export interface CallStart {
  id: string;
  direction?: 'inbound' | 'outbound' | 'internal';
  callerNumber?: string;
  callerName?: string;
  dialledNumber?: string;
  language?: string;
  data?: Record<string, unknown>;
}

export interface CallEvent {
  id: number;
  callId: string;
  at: Date;
  source: string;
  type: string;
  data: Record<string, unknown>;
}

export async function recordCallStart(db: Db, call: CallStart): Promise<void> {
  await db.query(
    `INSERT INTO calls (id, direction, caller_number, caller_name, dialled_number, language, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO NOTHING`,
    [
      call.id,
      call.direction ?? 'inbound',
      call.callerNumber ?? '',
      call.callerName ?? '',
      call.dialledNumber ?? '',
      call.language ?? null,
      call.data ?? {},
    ],
  );
}

export interface CallUpdate {
  answeredAt?: Date;
  endedAt?: Date;
  outcome?: string;
  hangupCause?: number;
  language?: string;
  queue?: string;
  agent?: string;
  /** Merged into the call's data (shallow). */
  data?: Record<string, unknown>;
}

const columns: Record<Exclude<keyof CallUpdate, 'data'>, string> = {
  answeredAt: 'answered_at',
  endedAt: 'ended_at',
  outcome: 'outcome',
  hangupCause: 'hangup_cause',
  language: 'language',
  queue: 'queue',
  agent: 'agent',
};

export async function updateCall(db: Db, callId: string, update: CallUpdate): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [callId];
  for (const [key, column] of Object.entries(columns) as [keyof typeof columns, string][]) {
    if (update[key] === undefined) continue;
    values.push(update[key]);
    sets.push(`${column} = $${values.length}`);
  }
  if (update.data) {
    values.push(update.data);
    sets.push(`data = data || $${values.length}::jsonb`);
  }
  if (!sets.length) return;
  await db.query(`UPDATE calls SET ${sets.join(', ')} WHERE id = $1`, values);
}

export async function recordCallEvent(
  db: Db,
  callId: string,
  source: string,
  type: string,
  data: Record<string, unknown> = {},
  /** When it happened (default: now, as the database sees it). */
  at?: Date,
): Promise<void> {
  await db.query(
    'INSERT INTO call_events (call_id, source, type, data, at) VALUES ($1, $2, $3, $4, coalesce($5, now()))',
    [callId, source, type, data, at ?? null],
  );
}

export async function callEvents(db: Db, callId: string): Promise<CallEvent[]> {
  const { rows } = await db.query<{
    id: string;
    call_id: string;
    at: Date;
    source: string;
    type: string;
    data: Record<string, unknown>;
  }>('SELECT id, call_id, at, source, type, data FROM call_events WHERE call_id = $1 ORDER BY at, id', [
    callId,
  ]);
  return rows.map((r) => ({
    id: Number(r.id),
    callId: r.call_id,
    at: r.at,
    source: r.source,
    type: r.type,
    data: r.data,
  }));
}
