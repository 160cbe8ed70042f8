// Where final transcript segments come from. Transcription publishes each segment as a
// `transcript.segment` event in the process and on the Redis events stream; QA takes them from
// either (`qa.segmentFeed`) behind this one interface, so a new source is one more function.
import type { HotlineEvents } from '../events.js';
import type { Redis, RedisKeys } from '../store/index.js';
import type { TranscriptSegment } from '../transcription/index.js';

export interface SegmentFeed {
  /** Calls `onSegment` for every final segment until the returned function is called. */
  start(onSegment: (segment: TranscriptSegment) => void): () => Promise<void> | void;
}

/** Segments emitted in this process (interim ones are live-only and skipped). */
export function eventsFeed(events: HotlineEvents): SegmentFeed {
  return {
    start(onSegment) {
      return events.on('transcript.segment', (segment) => {
        if (segment.final) onSegment(segment);
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

/**
 * Segments on a Redis stream (by default the live events stream, entries of type
 * `transcript.segment`), read from now on with a blocking connection of its own. Several nodes
 * reading it enqueue the same segment more than once; the live queue's job ids make that
 * harmless.
 */
export function streamFeed(
  connection: Redis,
  keys: RedisKeys,
  onError: (err: unknown) => void,
  streamKey: string = keys.eventsStream(),
): SegmentFeed {
  return {
    start(onSegment) {
      let running = true;
      let lastId = '$';
      const loop = async () => {
        while (running) {
          try {
            const reply = await connection.xread('COUNT', 100, 'BLOCK', 1000, 'STREAMS', streamKey, lastId);
            for (const [, entries] of reply ?? []) {
              for (const [id, fields] of entries) {
                lastId = id;
                const segment = segmentOfEntry(fields);
                if (segment?.final) onSegment(segment);
              }
            }
          } catch (err) {
            if (running) onError(err);
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
