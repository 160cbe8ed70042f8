// Writes call_events rows in batches: everything recorded while the previous INSERT is in flight
// goes into the next one (one statement, one round trip, one commit for many calls' steps).
// Under load that is what keeps Postgres and the controller's event loop from paying a
// statement per IVR step; when the system is idle each row still goes out at once.
// Rows keep their order (ids follow the order they were recorded) and their own time.
import type { Logger } from '../logger.js';
import { recordCallEvent } from './calls.js';
import type { Db } from './db.js';

interface PendingEvent {
  callId: string;
  source: string;
  type: string;
  data: Record<string, unknown>;
  at: Date;
  done: () => void;
  failed: (err: unknown) => void;
}

const INSERT_BATCH = `INSERT INTO call_events (call_id, source, type, data, at)
  SELECT call_id, source, type, data, at
  FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[])
    WITH ORDINALITY AS e(call_id, source, type, data, at, n)
  ORDER BY n`;

export class CallEventWriter {
  private pending: PendingEvent[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    /** Rows per statement at most (a long backlog goes out in several). */
    private readonly maxBatch = 500,
  ) {}

  /** Resolves once the row is stored; rejects with the database's error for this row. */
  record(callId: string, source: string, type: string, data: Record<string, unknown> = {}): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.pending.push({ callId, source, type, data, at: new Date(), done, failed });
      this.writing ??= this.drain();
    });
  }

  /** Resolves when every row recorded so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Rows recorded in the same turn of the event loop go together.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.maxBatch);
      await this.write(batch);
    }
    this.writing = null;
  }

  private async write(batch: PendingEvent[]): Promise<void> {
    try {
      await this.db.query(INSERT_BATCH, [
        batch.map((e) => e.callId),
        batch.map((e) => e.source),
        batch.map((e) => e.type),
        batch.map((e) => JSON.stringify(e.data)),
        batch.map((e) => e.at),
      ]);
      for (const e of batch) e.done();
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.failed(err);
        return;
      }
      // One bad row (a call id with no call record, say) must not lose the others: retry each.
      this.log.warn({ err, rows: batch.length }, 'a batch of call events failed; writing them one by one');
      for (const e of batch) {
        await recordCallEvent(this.db, e.callId, e.source, e.type, e.data, e.at).then(e.done, e.failed);
      }
    }
  }
}
