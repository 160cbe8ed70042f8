// The QA service the hotline starts: final segments from the feed go to the live queue, ended
// calls to the post-call queue, issue mining runs on a schedule, and workers (own blocking Redis connections, as BullMQ needs)
// analyse them. Workers can run on other machines: anything that starts this service with the
// same Redis and Postgres takes a share of the jobs.
import { Worker } from 'bullmq';
import type { AppContext, Service } from '../../context.js';
import { createRedis } from '../../store/index.js';
import type { TranscriptSegment } from '../../transcription/index.js';
import { eventsFeed, streamFeed, type SegmentFeed } from '../feed.js';
import { analyseLiveSegment } from '../live.js';
import { mineAndStoreIssues } from '../issue-runs.js';
import { analyseFinishedCall } from '../post-call.js';
import { qaRules } from '../runtime.js';
import {
  createQaQueues,
  enqueuePostCall,
  enqueueSegment,
  issuesQueueName,
  liveQueueName,
  postCallQueueName,
  scheduleIssueMining,
  type PostCallJob,
} from './queues.js';

export interface QaServiceOptions {
  /** Where segments come from; by default as configured (`qa.segmentFeed`). */
  feed?: SegmentFeed;
}

export function startQa(ctx: AppContext, options: QaServiceOptions = {}): Service {
  const { config, log } = ctx;
  // Rules are compiled now so a bad rule file stops the start, naming the file and field.
  const rules = qaRules(ctx);
  const qaLog = log.child({ module: 'qa' });
  qaLog.info({ rules: rules.rules.length, files: rules.files }, 'QA rules loaded');
  const prefix = ctx.keys.bullPrefix;
  const queueConnection = createRedis(config, { name: 'qa-queues' });
  const queues = createQaQueues(queueConnection, prefix);
  // BullMQ leaves connections it is given open: they are closed in stop().
  const liveConnection = createRedis(config, { blocking: true, name: 'qa-live' });
  const postCallConnection = createRedis(config, { blocking: true, name: 'qa-post-call' });
  const liveWorker = new Worker<TranscriptSegment>(
    liveQueueName,
    async (job) => analyseLiveSegment(ctx, job.data),
    {
      connection: liveConnection,
      prefix,
      concurrency: config.qa.liveConcurrency,
    },
  );
  const postCallWorker = new Worker<PostCallJob>(
    postCallQueueName,
    async (job) => {
      const analysis = await analyseFinishedCall(ctx, job.data.callId);
      return analysis ? { score: analysis.score } : { skipped: 'no segments' };
    },
    {
      connection: postCallConnection,
      prefix,
      concurrency: config.qa.postCallConcurrency,
    },
  );
  const issuesConnection = createRedis(config, { blocking: true, name: 'qa-issues' });
  const issuesWorker = new Worker(
    issuesQueueName,
    async () => {
      const { runId, calls, report } = await mineAndStoreIssues(ctx);
      return { runId, calls, issues: report.issues.length };
    },
    { connection: issuesConnection, prefix, concurrency: 1 },
  );
  for (const worker of [liveWorker, postCallWorker, issuesWorker]) {
    worker.on('failed', (job, err) => qaLog.warn({ err, job: job?.id, queue: worker.name }, 'QA job failed'));
    worker.on('error', (err) => qaLog.error({ err, queue: worker.name }, 'QA worker error'));
  }
  const onError = (what: string) => (err: unknown) => qaLog.error({ err }, what);
  scheduleIssueMining(queues, config.qa.issueMiningEveryMs).catch(onError('scheduling issue mining failed'));
  const feed =
    options.feed ??
    (config.qa.segmentFeed === 'stream'
      ? streamFeed(createRedis(config, { blocking: true, name: 'qa-feed' }), {
          streamKey: ctx.keys.transcriptsStream(),
          onError: onError('reading the transcripts stream failed'),
        })
      : eventsFeed(ctx.events, onError('queueing a segment for QA failed')));
  // A failed enqueue is reported by the feed (the stream feed also keeps it to retry).
  const stopFeed = feed.start(async (segment) => {
    await enqueueSegment(queues, segment);
  });
  const stopEnded = ctx.events.on('call.ended', ({ callId }) => {
    enqueuePostCall(queues, callId, config.qa.postCallDelayMs).catch(
      onError('queueing a call for QA failed'),
    );
  });
  return {
    name: 'qa',
    async stop() {
      stopEnded();
      await stopFeed();
      await Promise.all([liveWorker.close(), postCallWorker.close(), issuesWorker.close()]);
      await queues.close();
      for (const connection of [queueConnection, liveConnection, postCallConnection, issuesConnection])
        connection.disconnect();
    },
  };
}
