import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { testRedis, type TestRedis } from '../../test/helpers/redis.js';
import { HotlineEvents } from '../events.js';
import pino from 'pino';
import { silentLogger as log } from '../logger.js';
import type { TranscriptSegment } from './segment.js';
import { SegmentPublisher, transcriptOf } from './store.js';

function segment(over: Partial<TranscriptSegment>): TranscriptSegment {
  return {
    callId: 'call-1',
    party: 'caller',
    startMs: 0,
    endMs: 1000,
    text: 'hello',
    confidence: 0.5,
    language: 'en-US',
    final: true,
    seq: 0,
    provider: 'pocketsphinx',
    ...over,
  };
}

describe('segment publisher', () => {
  let t: TestDatabase;
  let r: TestRedis;
  beforeAll(async () => {
    t = await testDatabase();
    r = testRedis();
  });
  afterAll(async () => {
    await t.drop();
    await r.cleanup();
  });

  it('stores finals in Postgres and on the transcripts stream; interims only go live', async () => {
    const events = new HotlineEvents();
    const seen: TranscriptSegment[] = [];
    events.on('transcript.segment', (s) => seen.push(s));
    const publisher = new SegmentPublisher({ db: t.db, redis: r.redis, keys: r.keys, events, log });

    await publisher.publish(segment({ callId: 'c-store', final: false, text: 'hel', seq: 0 }));
    await publisher.publish(
      segment({ callId: 'c-store', text: 'hello there', seq: 0, startMs: 500, endMs: 1500 }),
    );
    await publisher.publish(
      segment({
        callId: 'c-store',
        party: 'agent',
        text: 'hi how can i help',
        seq: 0,
        startMs: 2000,
        endMs: 3000,
      }),
    );

    expect(seen.map((s) => [s.text, s.final])).toEqual([
      ['hel', false],
      ['hello there', true],
      ['hi how can i help', true],
    ]);
    const stored = await transcriptOf(t.db, 'c-store');
    expect(stored.map((s) => [s.party, s.text, s.startMs, s.endMs])).toEqual([
      ['caller', 'hello there', 500, 1500],
      ['agent', 'hi how can i help', 2000, 3000],
    ]);

    const finals = await r.redis.xrange(r.keys.transcriptsStream(), '-', '+');
    expect(finals).toHaveLength(2);
    const fields = Object.fromEntries(
      finals[0]![1].reduce<[string, string][]>(
        (acc, v, i, all) => (i % 2 ? acc : [...acc, [v, all[i + 1]!]]),
        [],
      ),
    );
    expect(fields).toMatchObject({
      callId: 'c-store',
      party: 'caller',
      seq: '0',
      startMs: '500',
      endMs: '1500',
      text: 'hello there',
      confidence: '0.5',
      language: 'en-US',
      provider: 'pocketsphinx',
      final: '1',
    });
    expect(JSON.parse(fields.segment!)).toMatchObject({ text: 'hello there', final: true });

    const live = await r.redis.xrange(r.keys.eventsStream(), '-', '+');
    expect(live.map(([, f]) => f[1])).toEqual([
      'transcript.segment',
      'transcript.segment',
      'transcript.segment',
    ]);
  });

  it('stores a final segment once even when it is published twice', async () => {
    const publisher = new SegmentPublisher({
      db: t.db,
      redis: r.redis,
      keys: r.keys,
      events: new HotlineEvents(),
      log,
    });
    const s = segment({ callId: 'c-twice', text: 'only once', seq: 3 });
    await publisher.publish(s);
    await publisher.publish(s);
    expect((await transcriptOf(t.db, 'c-twice')).map((x) => x.text)).toEqual(['only once']);
  });

  it('keeps going when Postgres refuses a segment, and says so in the log', async () => {
    const lines: string[] = [];
    const capture = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const publisher = new SegmentPublisher({
      db: t.db,
      redis: r.redis,
      keys: r.keys,
      events: new HotlineEvents(),
      log: capture,
      attempts: 2,
      retryDelayMs: 1,
    });
    // A segment the table's checks refuse (confidence above 1).
    await publisher.publish(segment({ callId: 'c-bad', confidence: 7 }));
    await publisher.publish(segment({ callId: 'c-bad', seq: 1, text: 'still stored' }));
    expect((await transcriptOf(t.db, 'c-bad')).map((x) => x.text)).toEqual(['still stored']);
    expect(lines.join('')).toMatch(/could not store a final transcript segment/);
  });
});
