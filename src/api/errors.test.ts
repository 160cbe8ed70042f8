import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { testRedis, type TestRedis } from '../../test/helpers/redis.js';
import { testContext } from '../../test/helpers/context.js';
import { apiErrors, buildApi } from './index.js';

/** The error table of docs/api.md: code → status. */
function documentedCodes(): Map<string, number> {
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\|\s*`(HOTLINE_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)];
  return new Map(rows.map((m) => [m[1]!, Number(m[2])]));
}

describe('API errors', () => {
  it('are documented in docs/api.md, each code with the status the API answers with', () => {
    const documented = documentedCodes();
    const declared = new Map(Object.entries(apiErrors).map(([code, e]) => [code, e.status]));
    expect(documented).toEqual(declared);
  });

  describe('as answered', () => {
    let t: TestDatabase;
    let r: TestRedis;
    let api: Awaited<ReturnType<typeof buildApi>>;
    beforeAll(async () => {
      t = await testDatabase();
      r = testRedis();
      api = await buildApi(testContext(t, r));
    });
    afterAll(async () => {
      await api?.close();
      await r?.cleanup();
      await t?.drop();
    });

    it('answers a route that does not exist with HOTLINE_NOT_FOUND naming the method and path', async () => {
      const res = await api.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        code: 'HOTLINE_NOT_FOUND',
        message: 'Not found: GET /api/nothing-here (docs/api.md lists the routes)',
      });
    });

    it('answers a body that is not JSON with HOTLINE_BAD_REQUEST, not a 500', async () => {
      const res = await api.inject({
        method: 'PUT',
        url: '/api/routing/agents/agent7',
        headers: { 'content-type': 'application/json' },
        payload: '{"name": ',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'HOTLINE_BAD_REQUEST' });
      expect(res.json().message).toMatch(/^Bad request: .*JSON/i);
    });

    it('answers a bad query with HOTLINE_BAD_REQUEST and the path of the field', async () => {
      const res = await api.inject({ method: 'GET', url: '/api/qa/calls?limit=0' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        code: 'HOTLINE_BAD_REQUEST',
        message: expect.stringMatching(/^Bad request: limit: /) as string,
      });
    });
  });
});
