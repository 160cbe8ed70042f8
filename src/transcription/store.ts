// Where segments go. Finals: Postgres (`transcript_segments`) as they arrive, then the Redis
// transcripts stream (finals only, for the QA pipeline and consoles). Every segment, interim or
// final: the in-process `transcript.segment` event and the live events stream consoles read.
// Stream fields are documented in docs/transcription.md; keep the two in step.
import { publishLive, type HotlineEvents } from '../events.js';
import type { Logger } from '../logger.js';
import type { Db, Redis, RedisKeys } from '../store/index.js';
import type { Party, TranscriptSegment } from './segment.js';

/** Caps the transcripts stream (~ entries); Postgres keeps everything. */
export const TRANSCRIPTS_STREAM_MAXLEN = 1_000_000;

export async function insertSegment(db: Db, segment: TranscriptSegment): Promise<void> {
  await db.query(
    `INSERT INTO transcript_segments
       (call_id, party, seq, start_ms, end_ms, text, confidence, language, provider)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (call_id, party, seq) DO NOTHING`,
    [
      segment.callId,
      segment.party,
      segment.seq ?? 0,
      Math.max(0, Math.round(segment.startMs)),
      Math.max(Math.round(segment.startMs), Math.round(segment.endMs)),
      segment.text,
      segment.confidence,
      segment.language,
      segment.provider ?? '',
    ],
  );
}

interface SegmentRow {
  call_id: string;
  party: Party;
  seq: number;
  start_ms: number;
  end_ms: number;
  text: string;
  confidence: number | null;
  language: string;
  provider: string;
}

/** A call's final segments in the order they were spoken (both parties interleaved). */
export async function transcriptOf(db: Db, callId: string): Promise<TranscriptSegment[]> {
  const { rows } = await db.query<SegmentRow>(
    `SELECT call_id, party, seq, start_ms, end_ms, text, confidence, language, provider
       FROM transcript_segments WHERE call_id = $1
      ORDER BY start_ms, end_ms, party DESC, seq`,
    [callId],
  );
  return rows.map((r) => ({
    callId: r.call_id,
    party: r.party,
    startMs: r.start_ms,
    endMs: r.end_ms,
    text: r.text,
    confidence: r.confidence,
    language: r.language,
    final: true,
    seq: r.seq,
    provider: r.provider,
  }));
}

/** The flat fields of a transcripts-stream entry (docs/transcription.md). */
export function streamFields(segment: TranscriptSegment): string[] {
  return [
    'callId',
    segment.callId,
    'party',
    segment.party,
    'seq',
    String(segment.seq ?? 0),
    'startMs',
    String(Math.round(segment.startMs)),
    'endMs',
    String(Math.round(segment.endMs)),
    'text',
    segment.text,
    'confidence',
    segment.confidence === null ? '' : String(segment.confidence),
    'language',
    segment.language,
    'provider',
    segment.provider ?? '',
    'final',
    segment.final ? '1' : '0',
    'segment',
    JSON.stringify(segment),
  ];
}

export interface SegmentPublisherDeps {
  db: Db;
  redis: Redis;
  keys: RedisKeys;
  events: HotlineEvents;
  log: Logger;
  /** Tries for a final segment's Postgres insert before it is given up (logged). */
  attempts?: number;
  retryDelayMs?: number;
}

/** Sends each segment where it belongs; one per process. */
export class SegmentPublisher {
  private readonly attempts: number;
  private readonly retryDelayMs: number;

  constructor(private readonly deps: SegmentPublisherDeps) {
    this.attempts = deps.attempts ?? 5;
    this.retryDelayMs = deps.retryDelayMs ?? 500;
  }

  /** Resolves once a final is in Postgres and on the stream (or given up, logged). */
  async publish(segment: TranscriptSegment): Promise<void> {
    const { redis, keys, events, log } = this.deps;
    if (segment.final) {
      const stored = await this.store(segment);
      if (stored) {
        await redis
          .xadd(
            keys.transcriptsStream(),
            'MAXLEN',
            '~',
            TRANSCRIPTS_STREAM_MAXLEN,
            '*',
            ...streamFields(segment),
          )
          .catch((err: unknown) =>
            log.warn({ err, callId: segment.callId }, 'transcripts stream write failed'),
          );
      }
    }
    events.emit('transcript.segment', segment);
    await publishLive(redis, keys, 'transcript.segment', { ...segment }).catch((err: unknown) =>
      log.warn({ err, callId: segment.callId }, 'live events stream write failed'),
    );
  }

  private async store(segment: TranscriptSegment): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await insertSegment(this.deps.db, segment);
        return true;
      } catch (err) {
        if (attempt >= this.attempts) {
          this.deps.log.error(
            { err, callId: segment.callId, party: segment.party, seq: segment.seq, text: segment.text },
            'could not store a final transcript segment; it is in this log line only',
          );
          return false;
        }
        await new Promise((r) => setTimeout(r, this.retryDelayMs * attempt));
      }
    }
  }
}
