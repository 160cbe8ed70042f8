// From the routing log stream (every Lua script appends to it in the same atomic step as its
// change) to Postgres: `queue_log` rows, and the routing steps of each call's trail in
// `call_events`. A consumer group shares the work between nodes; an entry is acknowledged only
// after its rows are committed, and the stream id is the row's unique key, so a crash between the
// two replays the entry harmlessly. Entries a dead node had read are claimed back after a while.
import type { Logger } from '../logger.js';
import { inTransaction, type Db, type Redis, type RedisKeys } from '../store/index.js';

const GROUP = 'queue-log';

/** Events that belong on the call's trail a supervisor reads. */
const callTrailEvents = new Set([
  'enqueue',
  'reserve',
  'ring',
  'answer',
  'no-answer',
  'requeue',
  'release',
  'abandon',
  'overflow',
  'callback',
  'complete',
  'callback-failed',
]);

export interface QueueLogRow {
  streamId: string;
  at: Date;
  event: string;
  queue: string | null;
  callId: string | null;
  agent: string | null;
  waitMs: number | null;
  data: Record<string, unknown>;
}

/** A log entry (one field `v`: `time|event|queue|call|agent|wait|data`, see util.lua) as a row. */
export function rowOf(streamId: string, fields: string[]): QueueLogRow {
  return rowOfValue(streamId, fields[fields.indexOf('v') + 1] ?? '');
}

/**
 * Every event of a log entry as rows: a run of several routing decisions writes its events in one
 * entry, one `v` field each, in order. The first keeps the entry's id, the n-th (from 0) is
 * `<id>/<n>`, so each row has an id of its own that a replay reproduces.
 */
export function rowsOf(streamId: string, fields: string[]): QueueLogRow[] {
  const rows: QueueLogRow[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2)
    if (fields[i] === 'v')
      rows.push(rowOfValue(rows.length ? `${streamId}/${rows.length}` : streamId, fields[i + 1]!));
  return rows;
}

function rowOfValue(streamId: string, v: string): QueueLogRow {
  const parts = v.split('|');
  const [t = '0', event = 'unknown', queue = '', callId = '', agent = '', wait = ''] = parts;
  // the data is last and may itself hold a '|'
  const d = parts.slice(6).join('|');
  let data: Record<string, unknown> = {};
  if (d) {
    const parsed: unknown = JSON.parse(d);
    // cjson encodes an empty table as {} and a sparse one as an object: both fine here
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      data = parsed as Record<string, unknown>;
  }
  return {
    streamId,
    at: new Date(Number(t)),
    event,
    queue: queue || null,
    callId: callId || null,
    agent: agent || null,
    waitMs: wait ? Math.round(Number(wait)) : null,
    data,
  };
}

/** Inserts the rows and their call-trail events in one transaction; replays insert nothing. */
export async function insertRows(db: Db, rows: QueueLogRow[]): Promise<void> {
  if (!rows.length) return;
  await inTransaction(db, async (client) => {
    const inserted = await client.query<{ stream_id: string }>(
      `INSERT INTO queue_log (stream_id, at, event, queue, call_id, agent, wait_ms, data)
       SELECT s, a, e, q, c, ag, w, d
       FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::bigint[], $8::jsonb[]) WITH ORDINALITY AS t(s, a, e, q, c, ag, w, d, n)
       ORDER BY n
       ON CONFLICT (stream_id) DO NOTHING
       RETURNING stream_id`,
      [
        rows.map((r) => r.streamId),
        rows.map((r) => r.at),
        rows.map((r) => r.event),
        rows.map((r) => r.queue),
        rows.map((r) => r.callId),
        rows.map((r) => r.agent),
        rows.map((r) => r.waitMs),
        rows.map((r) => JSON.stringify(r.data)),
      ],
    );
    const fresh = new Set(inserted.rows.map((r) => r.stream_id));
    const trail = rows.filter((r) => fresh.has(r.streamId) && r.callId && callTrailEvents.has(r.event));
    if (!trail.length) return;
    // only calls with a record (a test or a bench may route calls that never had one)
    await client.query(
      `INSERT INTO call_events (call_id, at, source, type, data)
       SELECT t.call_id, t.at, 'routing', t.type, t.data
       FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::jsonb[]) WITH ORDINALITY
         AS t(call_id, at, type, data, n)
       WHERE EXISTS (SELECT 1 FROM calls WHERE calls.id = t.call_id)
       ORDER BY t.n`,
      [
        trail.map((r) => r.callId),
        trail.map((r) => r.at),
        trail.map((r) => `queue.${r.event}`),
        trail.map((r) => JSON.stringify({ queue: r.queue, agent: r.agent, waitMs: r.waitMs, ...r.data })),
      ],
    );
  });
}

type StreamReply = [string, [string, string[]][]][] | null;

export class QueueLogWriter {
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    /** A connection of its own: XREADGROUP BLOCK holds it. */
    private readonly redis: Redis,
    private readonly db: Db,
    private readonly keys: RedisKeys,
    private readonly consumer: string,
    private readonly log: Logger,
    private readonly options: { batch?: number; blockMs?: number; claimIdleMs?: number } = {},
  ) {}

  private async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.keys.routingLog(), GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('BUSYGROUP')) throw err;
    }
  }

  private async write(entries: [string, string[]][]): Promise<number> {
    if (!entries.length) return 0;
    await insertRows(
      this.db,
      entries.flatMap(([id, fields]) => rowsOf(id, fields)),
    );
    await this.redis.xack(this.keys.routingLog(), GROUP, ...entries.map(([id]) => id));
    return entries.length;
  }

  /** Entries another consumer read but never acknowledged (it died): take them over. */
  private async claimStale(): Promise<number> {
    const reply = (await this.redis.xautoclaim(
      this.keys.routingLog(),
      GROUP,
      this.consumer,
      this.options.claimIdleMs ?? 30_000,
      '0',
      'COUNT',
      this.options.batch ?? 500,
    )) as [string, [string, string[]][]];
    return this.write(reply[1].filter(([, fields]) => fields !== null));
  }

  /** Reads and writes one batch; `block` waits up to blockMs for new entries. Returns the count. */
  async step(block: boolean): Promise<number> {
    const key = this.keys.routingLog();
    const count = this.options.batch ?? 500;
    const reply = (
      block
        ? await this.redis.xreadgroup(
            'GROUP',
            GROUP,
            this.consumer,
            'COUNT',
            count,
            'BLOCK',
            this.options.blockMs ?? 1000,
            'STREAMS',
            key,
            '>',
          )
        : await this.redis.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', count, 'STREAMS', key, '>')
    ) as StreamReply;
    return this.write(reply?.[0]?.[1] ?? []);
  }

  /** Writes everything in the stream now (for shutdown and tests). */
  async flush(): Promise<number> {
    await this.ensureGroup();
    let total = await this.claimStale();
    for (let n = await this.step(false); n > 0; n = await this.step(false)) total += n;
    return total;
  }

  async start(): Promise<void> {
    await this.ensureGroup();
    this.running = true;
    this.loop = (async () => {
      let sinceClaim = 0;
      while (this.running) {
        try {
          if (++sinceClaim >= 30) {
            sinceClaim = 0;
            await this.claimStale();
          }
          await this.step(true);
        } catch (err) {
          if (!this.running) break;
          this.log.error({ err }, 'queue log: writing to Postgres failed; retrying');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.redis.disconnect();
    await this.loop;
  }
}
