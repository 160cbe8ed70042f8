// Where final transcript segments come from. Transcription puts each final on its transcripts
// stream (Redis, fields in src/transcription/store.ts: a `segment` field holds the JSON) and also
// emits it as an in-process `transcript.segment` event; QA reads one of the two
// (`qa.segmentFeed`) behind this one interface, so a new source is one more function.
import type { HotlineEvents } from '../events.js';
import { hostname } from 'node:os';
import type { Redis } from '../store/index.js';
import type { TranscriptSegment } from '../transcription/index.js';

export interface SegmentFeed {
  /** Calls `onSegment` for every final segment until the returned function is called; a
   * promise it returns is awaited before the segment counts as taken. */
  start(onSegment: (segment: TranscriptSegment) => Promise<void> | void): () => Promise<void> | void;
}

/** Segments emitted in this process (interim ones are live-only and skipped). */
export function eventsFeed(events: HotlineEvents, onError: (err: unknown) => void): SegmentFeed {
  return {
    start(onSegment) {
      return events.on('transcript.segment', (segment) => {
        if (segment.final) Promise.resolve(onSegment(segment)).catch(onError);
      });
    },
  };
}

/** The segment in a stream entry: a `segment` field (JSON), or `type` + `data` as publishLive writes. */
export function segmentOfEntry(fields: string[]): TranscriptSegment | null {
  const field = (name: string) => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
    return undefined;
  };
  const json = field('segment') ?? (field('type') === 'transcript.segment' ? field('data') : undefined);
  if (!json) return null;
  try {
    return JSON.parse(json) as TranscriptSegment;
  } catch {
    return null;
  }
}

export interface StreamFeedOptions {
  /** The stream; transcription's finals stream (`keys.transcriptsStream()`) in the service. */
  streamKey: string;
  /** Consumer group: every QA node reads in the same group, so each segment is taken once. */
  group?: string;
  /** This reader's name in the group (default host-pid). */
  consumer?: string;
  onError: (err: unknown) => void;
}

/**
 * Final segments from a Redis stream, read in a consumer group with a blocking connection of
 * its own: each entry is acknowledged only once it is queued, and a restarted reader first takes
 * back the entries it had read but not acknowledged, so a crash loses no segment. The group
 * starts at the end of the stream when first created.
 */
export function streamFeed(connection: Redis, options: StreamFeedOptions): SegmentFeed {
  const { streamKey, onError } = options;
  const group = options.group ?? 'qa';
  const consumer = options.consumer ?? `${hostname()}-${process.pid}`;
  return {
    start(onSegment) {
      let running = true;
      const loop = async () => {
        let groupReady = false;
        // '0': our own pending entries first (after a restart); then '>' for new ones.
        let cursor = '0';
        while (running) {
          try {
            if (!groupReady) {
              await connection.xgroup('CREATE', streamKey, group, '$', 'MKSTREAM').catch((err: Error) => {
                if (!/BUSYGROUP/.test(err.message)) throw err;
              });
              groupReady = true;
            }
            const reply = await connection.xreadgroup(
              'GROUP',
              group,
              consumer,
              'COUNT',
              100,
              'BLOCK',
              1000,
              'STREAMS',
              streamKey,
              cursor,
            );
            const entries = reply?.[0]?.[1] ?? [];
            if (cursor === '0' && !entries.length) cursor = '>';
            for (const [id, fields] of entries) {
              const segment = fields ? segmentOfEntry(fields) : null;
              if (segment?.final) await onSegment(segment);
              await connection.xack(streamKey, group, id);
            }
          } catch (err) {
            if (!running) break;
            onError(err);
            // What was read but not acknowledged is read again, from our pending entries.
            cursor = '0';
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      };
      const done = loop();
      return async () => {
        running = false;
        connection.disconnect();
        await done;
      };
    },
  };
}
