// QA's BullMQ queues: `qa-live` (one job per final segment), `qa-post-call` (one job per
// finished call, delayed a little so its last segments are in) and `qa-issues` (issue mining on
// a schedule), under the hotline's BullMQ prefix. Job ids make a segment or a call enqueued twice
// (two feeds, two nodes) run once; the one scheduler id makes every node share one schedule.
import { Queue } from 'bullmq';
import type { Redis } from '../../store/index.js';
import type { TranscriptSegment } from '../../transcription/index.js';

export const liveQueueName = 'qa-live';
export const postCallQueueName = 'qa-post-call';
export const issuesQueueName = 'qa-issues';

export interface PostCallJob {
  callId: string;
}

export interface QaQueues {
  live: Queue<TranscriptSegment>;
  postCall: Queue<PostCallJob>;
  issues: Queue<Record<string, never>>;
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
  const issues = new Queue<Record<string, never>>(issuesQueueName, { connection, prefix, defaultJobOptions });
  return {
    live,
    postCall,
    issues,
    async close() {
      await Promise.all([live.close(), postCall.close(), issues.close()]);
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

/** Mines issues every `everyMs` (one schedule for all nodes); 0 removes the schedule. */
export async function scheduleIssueMining(queues: QaQueues, everyMs: number): Promise<void> {
  if (everyMs <= 0) {
    await queues.issues.removeJobScheduler('mine');
    return;
  }
  await queues.issues.upsertJobScheduler('mine', { every: everyMs }, { name: 'mine', data: {} });
}
