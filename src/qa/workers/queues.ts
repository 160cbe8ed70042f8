// QA's BullMQ queues: `qa-live` (one job per final segment) and `qa-post-call` (one job per
// finished call, delayed a little so its last segments are in), under the hotline's BullMQ
// prefix. Job ids make a segment or a call enqueued twice (two feeds, two nodes) run once.
import { Queue } from 'bullmq';
import type { Redis } from '../../store/index.js';
import type { TranscriptSegment } from '../../transcription/index.js';

export const liveQueueName = 'qa-live';
export const postCallQueueName = 'qa-post-call';

export interface PostCallJob {
  callId: string;
}

export interface QaQueues {
  live: Queue<TranscriptSegment>;
  postCall: Queue<PostCallJob>;
  close(): Promise<void>;
}

// BullMQ refuses ':' in custom job ids (it separates key parts).
const safe = (s: string | number) => String(s).replace(/:/g, '_');

export function createQaQueues(connection: Redis, prefix: string): QaQueues {
  const defaultJobOptions = {
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 86_400 },
    attempts: 3,
  };
  const live = new Queue<TranscriptSegment>(liveQueueName, { connection, prefix, defaultJobOptions });
  const postCall = new Queue<PostCallJob>(postCallQueueName, { connection, prefix, defaultJobOptions });
  return {
    live,
    postCall,
    async close() {
      await Promise.all([live.close(), postCall.close()]);
    },
  };
}

export function enqueueSegment(queues: QaQueues, segment: TranscriptSegment) {
  return queues.live.add('segment', segment, {
    jobId: `seg.${safe(segment.callId)}.${segment.party}.${Math.round(segment.startMs)}`,
  });
}

export function enqueuePostCall(queues: QaQueues, callId: string, delayMs: number) {
  return queues.postCall.add('call', { callId }, { jobId: `call.${safe(callId)}`, delay: delayMs });
}
