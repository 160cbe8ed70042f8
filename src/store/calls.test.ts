import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { callEvents, recordCallEvent, recordCallStart, updateCall } from './calls.js';

describe('the call record', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('records a call, its trail in order, and how it ended', async () => {
    await recordCallStart(t.db, {
      id: 'c1',
      callerNumber: '+8613800138000',
      dialledNumber: '4000',
      language: 'zh',
    });
    await recordCallStart(t.db, { id: 'c1', callerNumber: 'ignored on a second start' });
    await recordCallEvent(t.db, 'c1', 'ivr', 'step', { step: 'welcome' });
    await recordCallEvent(t.db, 'c1', 'ivr', 'step', { step: 'menu', input: '2' });
    await updateCall(t.db, 'c1', {
      answeredAt: new Date(),
      outcome: 'completed',
      hangupCause: 16,
      data: { vip: true },
    });
    await updateCall(t.db, 'c1', { data: { tier: 'gold' } });

    const events = await callEvents(t.db, 'c1');
    expect(events.map((e) => e.data.step)).toEqual(['welcome', 'menu']);
    const { rows } = await t.db.query('SELECT * FROM calls WHERE id = $1', ['c1']);
    expect(rows[0]).toMatchObject({
      caller_number: '+8613800138000',
      outcome: 'completed',
      hangup_cause: 16,
    });
    expect(rows[0].data).toEqual({ vip: true, tier: 'gold' });
    expect(rows[0].answered_at).toBeInstanceOf(Date);
  });

  it('refuses an event for a call that was never recorded', async () => {
    await expect(recordCallEvent(t.db, 'no-such-call', 'ivr', 'step')).rejects.toThrow(/foreign key/);
  });
});
