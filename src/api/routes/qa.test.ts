import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { testContext } from '../../../test/helpers/context.js';
import { testRedis, type TestRedis } from '../../../test/helpers/redis.js';
import { loadConfig } from '../../config.js';
import { buildApi } from '../server.js';

const fixture = fileURLToPath(new URL('../../qa/fixtures/calls.jsonl', import.meta.url));
const calls = readFileSync(fixture, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const period = 'from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z';

describe('QA API', () => {
  let t: TestDatabase;
  let r: TestRedis;
  let app: Awaited<ReturnType<typeof buildApi>>;

  beforeAll(async () => {
    t = await testDatabase();
    r = testRedis();
    const config = loadConfig({
      HOTLINE_QA_RULES_DIR: fileURLToPath(new URL('../../../qa', import.meta.url)),
    });
    app = await buildApi(testContext(t, r, { config }));
    for (const call of calls.slice(0, 4)) {
      const res = await app.inject({ method: 'POST', url: '/api/qa/analyse', payload: call });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await app.close();
    await r.cleanup();
    await t.drop();
  });

  it('analyses a posted transcript and keeps it, with PII redacted', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/qa/calls/en-bad' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ score: number; pii: Record<string, number>; segments: { text: string }[] }>();
    expect(body.score).toBeLessThan(50);
    expect(body.pii).toEqual({ card: 1, email: 1 });
    expect(JSON.stringify(body)).not.toMatch(/4111|bob@example\.com/);
  });

  it('analyses without storing when asked', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/qa/analyse?store=false',
      payload: { ...calls[4], id: 'not-kept' },
    });
    expect(res.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/qa/calls/not-kept' })).statusCode).toBe(404);
  });

  it('refuses a bad transcript naming the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/qa/analyse',
      payload: { callId: 'x', segments: [{ party: 'boss', text: 'hi' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'HOTLINE_QA_BAD_TRANSCRIPT',
      message: expect.stringMatching(/segments\.0\.party/),
    });
  });

  it('answers 404 with a code for a call QA never analysed', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/qa/calls/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'HOTLINE_QA_NOT_ANALYSED' });
  });

  it('lists the analysed calls of a period, filtered by agent', async () => {
    const all = await app.inject({ method: 'GET', url: `/api/qa/calls?${period}` });
    expect(
      all
        .json<{ callId: string }[]>()
        .map((c) => c.callId)
        .sort(),
    ).toEqual(['en-bad', 'en-good', 'zh-bad', 'zh-good']);
    const alice = await app.inject({ method: 'GET', url: `/api/qa/calls?${period}&agent=alice` });
    expect(alice.json<{ callId: string }[]>().map((c) => c.callId)).toEqual(['en-good']);
  });

  it('gives scorecards per agent and per queue, and one agent’s card', async () => {
    const byAgent = await app.inject({ method: 'GET', url: `/api/qa/scorecards?${period}&by=agent` });
    const cards = byAgent.json<{ scorecards: { subject: string; meanScore: number }[] }>().scorecards;
    expect(cards[0]).toMatchObject({ subject: 'alice', meanScore: 100 });
    const byQueue = await app.inject({ method: 'GET', url: `/api/qa/scorecards?${period}&by=queue` });
    expect(
      byQueue
        .json<{ scorecards: { subject: string }[] }>()
        .scorecards.map((c) => c.subject)
        .sort(),
    ).toEqual(['billing', '售后']);
    const bob = await app.inject({ method: 'GET', url: `/api/qa/agents/bob/scorecard?${period}` });
    expect(bob.json()).toMatchObject({ subject: 'bob', calls: 1, negativeCallers: 1 });
  });

  it('gives compliance rates per rule and per queue', async () => {
    const byRule = await app.inject({ method: 'GET', url: `/api/qa/compliance?${period}&by=rule` });
    const greeting = byRule
      .json<{ rules: { ruleId: string; passed: number; failed: number }[] }>()
      .rules.find((x) => x.ruleId === 'greeting');
    expect(greeting).toMatchObject({ passed: 2, failed: 2 });
    const byQueue = await app.inject({ method: 'GET', url: `/api/qa/compliance?${period}&by=queue` });
    expect(byQueue.json<{ rates: unknown[] }>().rates).toHaveLength(2);
  });

  it('mines the frequent issues of a period', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/qa/issues?${period}&clusters=2` });
    const body = res.json<{ calls: number; issues: { label: string; trend: unknown[] }[] }>();
    expect(body.calls).toBe(4);
    expect(body.issues.length).toBeGreaterThan(0);
    expect(body.issues[0]!.label).not.toBe('');
  });

  it('renders the report as printable HTML with inline SVG charts, and as CSV and JSON', async () => {
    const html = await app.inject({ method: 'GET', url: `/api/qa/report?${period}` });
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toMatch(/<svg/);
    expect(html.body).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const csv = await app.inject({ method: 'GET', url: `/api/qa/report?${period}&format=csv` });
    expect(csv.body.split('\r\n')[0]).toBe(
      'call_id,started_at,agent,queue,score,compliance_rate,satisfaction,caller_negative,swing,issue',
    );
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(5);
    const json = await app.inject({ method: 'GET', url: `/api/qa/report?${period}&format=json` });
    expect(json.json()).toMatchObject({ totals: { calls: 4 } });
  });

  it('refuses a period that ends before it starts, and a date that is not one', async () => {
    const upside = await app.inject({ method: 'GET', url: '/api/qa/calls?from=2026-11-08&to=2026-11-01' });
    expect(upside.json()).toMatchObject({ code: 'HOTLINE_QA_BAD_PERIOD' });
    const bad = await app.inject({ method: 'GET', url: '/api/qa/calls?from=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'HOTLINE_BAD_REQUEST' });
  });

  it('lists the loaded rules', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/qa/rules' });
    expect(res.json<{ id: string }[]>().map((x) => x.id)).toContain('greeting');
  });
});
