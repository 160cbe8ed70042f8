import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { CallEventWriter } from './call-event-writer.js';
import { callEvents, recordCallStart } from './calls.js';

describe('the batched call event writer', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase();
    for (const id of ['a', 'b']) await recordCallStart(t.db, { id });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('stores rows recorded together in one statement, each call in the order it was recorded', async () => {
    const writer = new CallEventWriter(t.db, silentLogger);
    const written: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      written.push(writer.record('a', 'ivr', 'ivr.step', { i }));
      written.push(writer.record('b', 'ivr', 'ivr.step', { i }));
    }
    await Promise.all(written);
    // Rows written by one statement share its transaction id.
    const { rows } = await t.db.query<{ n: string }>(
      "SELECT count(DISTINCT xmin::text) AS n FROM call_events WHERE type = 'ivr.step'",
    );
    expect(Number(rows[0]!.n)).toBe(1);
    for (const call of ['a', 'b']) {
      const events = await callEvents(t.db, call);
      expect(events.map((e) => e.data.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    }
  });

  it('keeps the time each row was recorded, not the time of the batch', async () => {
    const writer = new CallEventWriter(t.db, silentLogger);
    const before = Date.now();
    await writer.record('a', 'ivr', 'timed', {});
    const events = (await callEvents(t.db, 'a')).filter((e) => e.type === 'timed');
    expect(events).toHaveLength(1);
    expect(events[0]!.at.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(events[0]!.at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('stores the good rows of a batch when one row is refused, and reports that row', async () => {
    const writer = new CallEventWriter(t.db, silentLogger);
    const good = writer.record('b', 'ivr', 'kept', { n: 1 });
    const bad = writer.record('no-such-call', 'ivr', 'refused', {});
    const alsoGood = writer.record('b', 'ivr', 'kept', { n: 2 });
    await expect(bad).rejects.toThrow(/foreign key/);
    await Promise.all([good, alsoGood]);
    const kept = (await callEvents(t.db, 'b')).filter((e) => e.type === 'kept');
    expect(kept.map((e) => e.data.n)).toEqual([1, 2]);
    await writer.flush();
  });
});
