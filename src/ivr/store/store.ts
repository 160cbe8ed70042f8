// What the IVR keeps besides the call record: voicemail messages and callback requests
// (migration 020). An interface so verb tests can use the real Postgres or a small fake.
import type { Db } from '../../store/index.js';

export interface NewVoicemail {
  callId: string;
  mailbox: string;
  recording: string;
  format: string;
  durationSeconds: number | null;
  callerNumber: string;
  language: string | null;
}

export interface VoicemailRecord extends NewVoicemail {
  id: string;
  createdAt: Date;
  heardAt: Date | null;
}

export interface NewCallbackRequest {
  callId: string;
  number: string;
  queue: string;
  language: string | null;
  priority: number;
  data: Record<string, unknown>;
}

export interface CallbackRequest extends NewCallbackRequest {
  id: string;
  status: CallbackStatus;
  requestedAt: Date;
}

/** pending → dialling → done, or failed / cancelled; whoever works the list sets them. */
export const callbackStatuses = ['pending', 'dialling', 'done', 'failed', 'cancelled'] as const;
export type CallbackStatus = (typeof callbackStatuses)[number];

export interface IvrStore {
  saveVoicemail(v: NewVoicemail): Promise<VoicemailRecord>;
  saveCallbackRequest(r: NewCallbackRequest): Promise<{ id: string }>;
}

interface VoicemailRow {
  id: string;
  call_id: string;
  mailbox: string;
  recording: string;
  format: string;
  duration_seconds: number | null;
  caller_number: string;
  language: string | null;
  created_at: Date;
  heard_at: Date | null;
}

interface CallbackRow {
  id: string;
  call_id: string;
  number: string;
  queue: string;
  language: string | null;
  priority: number;
  data: Record<string, unknown>;
  status: CallbackStatus;
  requested_at: Date;
}

function callbackOf(r: CallbackRow): CallbackRequest {
  return {
    id: String(r.id),
    callId: r.call_id,
    number: r.number,
    queue: r.queue,
    language: r.language,
    priority: r.priority,
    data: r.data,
    status: r.status,
    requestedAt: r.requested_at,
  };
}

function voicemailOf(r: VoicemailRow): VoicemailRecord {
  return {
    id: String(r.id),
    callId: r.call_id,
    mailbox: r.mailbox,
    recording: r.recording,
    format: r.format,
    durationSeconds: r.duration_seconds,
    callerNumber: r.caller_number,
    language: r.language,
    createdAt: r.created_at,
    heardAt: r.heard_at,
  };
}

export class PgIvrStore implements IvrStore {
  constructor(private readonly db: Db) {}

  async saveVoicemail(v: NewVoicemail): Promise<VoicemailRecord> {
    const { rows } = await this.db.query<VoicemailRow>(
      `INSERT INTO voicemails (call_id, mailbox, recording, format, duration_seconds, caller_number, language)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (recording) DO UPDATE SET duration_seconds = EXCLUDED.duration_seconds
       RETURNING *`,
      [v.callId, v.mailbox, v.recording, v.format, v.durationSeconds, v.callerNumber, v.language],
    );
    return voicemailOf(rows[0]!);
  }

  async saveCallbackRequest(r: NewCallbackRequest): Promise<{ id: string }> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO callback_requests (call_id, number, queue, language, priority, data)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [r.callId, r.number, r.queue, r.language, r.priority, r.data],
    );
    return { id: String(rows[0]!.id) };
  }

  async listVoicemails(options: { mailbox?: string; limit?: number } = {}): Promise<VoicemailRecord[]> {
    const { rows } = await this.db.query<VoicemailRow>(
      `SELECT * FROM voicemails WHERE ($1::text IS NULL OR mailbox = $1)
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [options.mailbox ?? null, options.limit ?? 100],
    );
    return rows.map(voicemailOf);
  }

  async voicemail(id: string): Promise<VoicemailRecord | null> {
    if (!/^\d+$/.test(id)) return null;
    const { rows } = await this.db.query<VoicemailRow>('SELECT * FROM voicemails WHERE id = $1', [id]);
    return rows[0] ? voicemailOf(rows[0]) : null;
  }

  async markHeard(id: string): Promise<void> {
    await this.db.query('UPDATE voicemails SET heard_at = COALESCE(heard_at, now()) WHERE id = $1', [id]);
  }

  /** Callback requests, the ones to call first first (priority, then the oldest). */
  async listCallbackRequests(
    options: { status?: CallbackStatus; queue?: string; limit?: number } = {},
  ): Promise<CallbackRequest[]> {
    const { rows } = await this.db.query<CallbackRow>(
      `SELECT * FROM callback_requests
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR queue = $2)
       ORDER BY priority DESC, requested_at, id LIMIT $3`,
      [options.status ?? null, options.queue ?? null, options.limit ?? 100],
    );
    return rows.map(callbackOf);
  }

  /** Moves a request on (dialling, done, ...); null when there is no such request. */
  async setCallbackStatus(id: string, status: CallbackStatus): Promise<CallbackRequest | null> {
    if (!/^\d+$/.test(id)) return null;
    const { rows } = await this.db.query<CallbackRow>(
      'UPDATE callback_requests SET status = $2 WHERE id = $1 RETURNING *',
      [id, status],
    );
    return rows[0] ? callbackOf(rows[0]) : null;
  }
}
