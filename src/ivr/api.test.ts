import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../test/helpers/context.js';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { testRedis, type TestRedis } from '../../test/helpers/redis.js';
import { buildApi } from '../api/index.js';
import { recordCallStart } from '../store/index.js';
import { ivrRoutes } from './api.js';
import { PgIvrStore } from './store/store.js';

describe('the IVR API: callback requests', () => {
  let t: TestDatabase;
  let r: TestRedis;
  let api: Awaited<ReturnType<typeof buildApi>>;
  let firstId: string;
  beforeAll(async () => {
    t = await testDatabase();
    r = testRedis();
    api = await buildApi(testContext(t, r), ivrRoutes);
    await recordCallStart(t.db, { id: 'call-cb', callerNumber: '+442071234567' });
    const store = new PgIvrStore(t.db);
    const save = (number: string, priority: number) =>
      store.saveCallbackRequest({
        callId: 'call-cb',
        number,
        queue: 'general',
        language: 'en',
        priority,
        data: {},
      });
    firstId = (await save('+442071234567', 0)).id;
    await save('+442079999999', 5);
  });
  afterAll(async () => {
    await api?.close();
    await r?.cleanup();
    await t?.drop();
  });

  it('lists the pending requests, the highest priority first', async () => {
    const res = await api.inject({ method: 'GET', url: '/api/callbacks?status=pending&queue=general' });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ number: string }[]>().map((c) => c.number)).toEqual(['+442079999999', '+442071234567']);
  });

  it('moves a request on and leaves it out of the pending list', async () => {
    const res = await api.inject({
      method: 'POST',
      url: `/api/callbacks/${firstId}/status`,
      payload: { status: 'done' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: firstId, status: 'done' });
    const pending = await api.inject({ method: 'GET', url: '/api/callbacks?status=pending' });
    expect(pending.json<{ id: string }[]>().map((c) => c.id)).not.toContain(firstId);
  });

  it('refuses an unknown status and answers an unknown request with HOTLINE_NOT_FOUND', async () => {
    const bad = await api.inject({
      method: 'POST',
      url: `/api/callbacks/${firstId}/status`,
      payload: { status: 'lost' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'HOTLINE_BAD_REQUEST',
      message: expect.stringContaining('status') as string,
    });
    const missing = await api.inject({
      method: 'POST',
      url: '/api/callbacks/987654/status',
      payload: { status: 'done' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'HOTLINE_NOT_FOUND' });
  });
});
