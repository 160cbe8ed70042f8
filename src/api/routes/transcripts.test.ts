import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { testContext } from '../../../test/helpers/context.js';
import { testRedis, type TestRedis } from '../../../test/helpers/redis.js';
import { silentLogger } from '../../logger.js';
import { recordCallStart, updateCall } from '../../store/index.js';
import { SegmentPublisher } from '../../transcription/store.js';
import { buildApi } from '../index.js';

describe('transcript API', () => {
  let t: TestDatabase;
  let r: TestRedis;
  let api: Awaited<ReturnType<typeof buildApi>>;
  beforeAll(async () => {
    t = await testDatabase();
    r = testRedis();
    const ctx = testContext(t, r);
    api = await buildApi(ctx);
    await recordCallStart(t.db, { id: 'call-done', callerNumber: '+8613800138000' });
    await updateCall(t.db, 'call-done', { endedAt: new Date() });
    await recordCallStart(t.db, { id: 'call-live' });
    await recordCallStart(t.db, { id: 'call-silent' });
    await updateCall(t.db, 'call-silent', { endedAt: new Date() });
    const publisher = new SegmentPublisher({ ...ctx, log: silentLogger });
    const say = (callId: string, party: 'caller' | 'agent', seq: number, startMs: number, text: string) =>
      publisher.publish({
        callId,
        party,
        seq,
        startMs,
        endMs: startMs + 1500,
        text,
        confidence: 0.9,
        language: 'en-US',
        final: true,
        provider: 'pocketsphinx',
      });
    // Stored out of order on purpose: the API answers in spoken order.
    await say('call-done', 'caller', 0, 4000, 'my order never arrived');
    await say('call-done', 'agent', 0, 1000, 'thank you for calling');
    await say('call-done', 'agent', 1, 7000, 'let me check that for you');
    await say('call-live', 'caller', 0, 500, 'hello');
  });
  afterAll(async () => {
    await api.close();
    await t.drop();
    await r.cleanup();
  });

  it('answers a finished call’s transcript as JSON, both parties in spoken order', async () => {
    const res = await api.inject({ url: '/api/calls/call-done/transcript' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      callId: string;
      complete: boolean;
      segments: { party: string; text: string }[];
    }>();
    expect(body.callId).toBe('call-done');
    expect(body.complete).toBe(true);
    expect(body.segments.map((s) => `${s.party}: ${s.text}`)).toEqual([
      'agent: thank you for calling',
      'caller: my order never arrived',
      'agent: let me check that for you',
    ]);
    expect(body.segments[0]).toMatchObject({
      startMs: 1000,
      endMs: 2500,
      confidence: 0.9,
      language: 'en-US',
      final: true,
    });
  });

  it('answers plain text with ?format=text or Accept: text/plain', async () => {
    const expected =
      '[00:01.000] Agent: thank you for calling\n[00:04.000] Caller: my order never arrived\n[00:07.000] Agent: let me check that for you\n';
    const byQuery = await api.inject({ url: '/api/calls/call-done/transcript?format=text' });
    expect(byQuery.headers['content-type']).toMatch(/^text\/plain/);
    expect(byQuery.body).toBe(expected);
    const byAccept = await api.inject({
      url: '/api/calls/call-done/transcript',
      headers: { accept: 'text/plain' },
    });
    expect(byAccept.body).toBe(expected);
  });

  it('answers WebVTT with ?format=vtt or Accept: text/vtt', async () => {
    const res = await api.inject({ url: '/api/calls/call-done/transcript', headers: { accept: 'text/vtt' } });
    expect(res.headers['content-type']).toMatch(/^text\/vtt/);
    expect(res.body).toMatch(
      /^WEBVTT\n\n1\n00:00:01\.000 --> 00:00:02\.500\n<v Agent>thank you for calling\n/,
    );
    expect((await api.inject({ url: '/api/calls/call-done/transcript?format=vtt' })).body).toBe(res.body);
  });

  it('says when a call is still going and answers what is stored so far', async () => {
    const res = await api.inject({ url: '/api/calls/call-live/transcript' });
    expect(res.json()).toMatchObject({ complete: false, segments: [{ text: 'hello' }] });
  });

  it('answers an empty transcript for a call in which nothing was recognised', async () => {
    const res = await api.inject({ url: '/api/calls/call-silent/transcript' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ callId: 'call-silent', complete: true, segments: [] });
  });

  it('answers 404 for a call it has never heard of', async () => {
    const res = await api.inject({ url: '/api/calls/no-such-call/transcript' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'HOTLINE_NOT_FOUND', message: 'Not found: call no-such-call' });
  });

  it('answers 400 naming the parameter for an unknown format', async () => {
    const res = await api.inject({ url: '/api/calls/call-done/transcript?format=docx' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/format/);
  });
});
