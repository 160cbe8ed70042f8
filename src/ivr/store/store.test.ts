import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { silentLogger } from '../../logger.js';
import { CallEventWriter, callEvents, recordCallStart } from '../../store/index.js';
import { PgIvrStore } from './store.js';
import { PgCallTrail } from './trail.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
  await recordCallStart(t.db, { id: 'call-1', callerNumber: '+8613800138000', dialledNumber: '1000' });
});
afterAll(() => t.drop());

describe('the IVR store (Postgres)', () => {
  it('keeps voicemails with their call, lists them by mailbox, and marks them heard once', async () => {
    const store = new PgIvrStore(t.db);
    const saved = await store.saveVoicemail({
      callId: 'call-1',
      mailbox: 'support',
      recording: 'voicemail-call-1-a',
      format: 'wav',
      durationSeconds: 12,
      callerNumber: '+8613800138000',
      language: 'zh',
    });
    expect(saved).toMatchObject({ mailbox: 'support', durationSeconds: 12, heardAt: null });
    await store.saveVoicemail({ ...saved, mailbox: 'billing', recording: 'voicemail-call-1-b' });
    expect((await store.listVoicemails({ mailbox: 'support' })).map((v) => v.recording)).toEqual([
      'voicemail-call-1-a',
    ]);
    expect(await store.listVoicemails()).toHaveLength(2);
    await store.markHeard(saved.id);
    const heard = (await store.voicemail(saved.id))!.heardAt;
    expect(heard).toBeInstanceOf(Date);
    await store.markHeard(saved.id);
    expect((await store.voicemail(saved.id))!.heardAt).toEqual(heard);
    expect(await store.voicemail('not-a-number')).toBeNull();
  });

  it('lists callback requests by priority then age, filtered by status and queue, and moves them on', async () => {
    const store = new PgIvrStore(t.db);
    const request = (number: string, queue: string, priority: number) =>
      store.saveCallbackRequest({ callId: 'call-1', number, queue, language: 'en', priority, data: {} });
    const low = await request('5550001', 'orders-billing', 0);
    const vip = await request('5550002', 'orders-billing', 10);
    const other = await request('5550003', 'complaints', 10);
    const listed = await store.listCallbackRequests({ queue: 'orders-billing', status: 'pending' });
    expect(listed.map((r) => r.number)).toEqual(['5550002', '5550001']);
    expect(listed[0]).toMatchObject({ id: vip.id, status: 'pending', requestedAt: expect.any(Date) as Date });
    expect(await store.setCallbackStatus(low.id, 'done')).toMatchObject({ id: low.id, status: 'done' });
    expect((await store.listCallbackRequests({ status: 'pending' })).map((r) => r.id)).toContain(other.id);
    expect((await store.listCallbackRequests({ status: 'pending' })).map((r) => r.id)).not.toContain(low.id);
    expect(await store.setCallbackStatus('999999', 'done')).toBeNull();
    expect(await store.setCallbackStatus('nope', 'done')).toBeNull();
  });

  it('stores callback requests as pending', async () => {
    const store = new PgIvrStore(t.db);
    const { id } = await store.saveCallbackRequest({
      callId: 'call-1',
      number: '13912345678',
      queue: 'general',
      language: 'zh',
      priority: 5,
      data: { issue: 'billing' },
    });
    const { rows } = await t.db.query(
      'SELECT number, queue, priority, status, data FROM callback_requests WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({
      number: '13912345678',
      queue: 'general',
      priority: 5,
      status: 'pending',
      data: { issue: 'billing' },
    });
  });

  it('writes a call trail in the order it happened and keeps the call row up to date', async () => {
    await recordCallStart(t.db, { id: 'call-2' });
    const live: string[] = [];
    const trail = new PgCallTrail(
      t.db,
      new CallEventWriter(t.db, silentLogger),
      'call-2',
      silentLogger,
      (type, payload) => live.push(`${type}:${String(payload.step)}`),
    );
    trail.event('ivr.flow.started', { flow: 'demo' });
    for (const step of ['answer', 'menu', 'bye']) {
      trail.step({
        flow: 'demo',
        step,
        verb: 'say',
        result: 'ok',
        startedAt: new Date().toISOString(),
        ms: 1,
      });
    }
    trail.update({ language: 'en', outcome: 'completed', data: { ivr: { lastStep: 'bye' } } });
    await trail.flush();
    const events = await callEvents(t.db, 'call-2');
    expect(events.map((e) => [e.source, e.type, e.data.step ?? null])).toEqual([
      ['ivr', 'ivr.flow.started', null],
      ['ivr', 'ivr.step', 'answer'],
      ['ivr', 'ivr.step', 'menu'],
      ['ivr', 'ivr.step', 'bye'],
    ]);
    expect(live).toEqual(['ivr.step:answer', 'ivr.step:menu', 'ivr.step:bye']);
    const { rows } = await t.db.query('SELECT language, outcome, data FROM calls WHERE id = $1', ['call-2']);
    expect(rows[0]).toEqual({ language: 'en', outcome: 'completed', data: { ivr: { lastStep: 'bye' } } });
  });

  it('a failed write is logged and does not stop the writes after it', async () => {
    const trail = new PgCallTrail(
      t.db,
      new CallEventWriter(t.db, silentLogger),
      'no-such-call',
      silentLogger,
    );
    trail.event('ivr.step', { step: 'x' });
    await trail.flush();
    await recordCallStart(t.db, { id: 'no-such-call' });
    trail.event('ivr.step', { step: 'y' });
    await trail.flush();
    expect((await callEvents(t.db, 'no-such-call')).map((e) => e.data.step)).toEqual(['y']);
  });
});
