// enqueue: hands the caller to routing (CallRouter) with skills, priority, language, last agent
// and data, then waits for the outcome while playing position / estimated-wait announcements
// every so often (music on hold is stopped for each and restarted after, which works the same on
// Asterisk), and offers a callback by a key. Overflow continues the flow; no router, or a queue
// that refuses the call, goes to `unavailable` (e.g. voicemail).
import { z } from 'zod';
import type { EnqueueRequest, QueueOutcome, QueuedCall } from '../../routing/index.js';
import { prompt, seconds, stepBase, stepName } from '../flow/fields.js';
import { playPrompt } from '../runtime/input.js';
import type { Scope } from '../runtime/scope.js';
import { render, resolveValue, type Scopeless } from '../runtime/template.js';
import { Verb, type StepOutcome, type Transition, type VerbContext, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('enqueue'),
    ...stepBase,
    queue: z.string().min(1),
    /** Required skills → minimum proficiency 1-5. */
    skills: z.record(z.string().min(1), z.number().int().min(1).max(5)).default({}),
    /** Number or `{{variable}}`; higher is served first. */
    priority: z.union([z.number().int(), z.string()]).default(0),
    lastAgent: z.string().optional(),
    /** What the agent and reports see; strings may hold `{{...}}`. */
    data: z.record(z.string(), z.unknown()).default({}),
    /** Music-on-hold class restarted after each announcement; default the queue's `mohClass`. */
    moh: z.string().min(1).optional(),
    announce: z
      .object({
        /**
         * Seconds between announcements (the first comes after `first`, default the same); default
         * the queue's `announcements.everySeconds`.
         */
        every: seconds.min(5).optional(),
        first: seconds.optional(),
        /** `{{queue.position}}`, `{{queue.waitMinutes}}`, `{{queue.waitSeconds}}` are filled in. */
        prompt,
        /** Played instead of `prompt` when there is no estimate yet. */
        withoutEstimate: prompt.optional(),
      })
      .strict()
      .optional(),
    callback: z
      .object({
        key: z.string().regex(/^[0-9*#]$/, 'a key 0-9 * #'),
        /** Played after each announcement, e.g. "press 1 to be called back". */
        offer: prompt.optional(),
        next: stepName,
      })
      .strict()
      .optional(),
    /** The queue's rules sent the caller away (or to a voicemail / callback the flow provides). */
    overflow: stepName,
    /** No router configured, or the queue refused the call (full, closed, no agents). */
    unavailable: stepName,
  })
  .strict();
export type EnqueueStep = z.infer<typeof schema>;

/** Overflow to another queue can chain; this many hops and then the flow's overflow step. */
const MAX_QUEUE_HOPS = 5;

type Waited = QueueOutcome | { kind: 'callback-key'; at: number };

export class Enqueue extends Verb<EnqueueStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const { step } = this;
    const router = ctx.services.router;
    if (!router) return { result: 'no-router', next: step.unavailable };
    const root = ctx.templateRoot();
    let queue = render(step.queue, root);
    const hops: string[] = [];
    for (let hop = 0; hop < MAX_QUEUE_HOPS; hop++) {
      hops.push(queue);
      const queued = await this.scope.wait(router.enqueue(this.request(ctx, queue, root)));
      ctx.updateCall({ queue });
      ctx.note('ivr.enqueued', { queue, queued: queued.id });
      const waiting = this.scope.child();
      let waited: Waited;
      try {
        waited = await this.wait(ctx, queued, waiting);
      } finally {
        waiting.close();
      }
      const data = { queue, hops };
      switch (waited.kind) {
        case 'connected':
          ctx.updateCall({ agent: waited.agent });
          return { result: 'connected', end: 'connected', data: { ...data, agent: waited.agent } };
        case 'abandoned':
          return { result: 'abandoned', end: 'abandoned', data };
        case 'callback-key':
          await this.scope.wait(queued.convertToCallback(ctx.call.callerNumber));
          await this.stopMoh(ctx);
          return {
            result: 'callback',
            input: step.callback!.key,
            inputAt: waited.at,
            next: step.callback!.next,
            data,
          };
        case 'callback':
          await this.stopMoh(ctx);
          return {
            result: 'callback',
            next: step.callback?.next ?? step.overflow,
            data: { ...data, number: waited.number },
          };
        case 'rejected':
          await this.stopMoh(ctx);
          return { result: 'rejected', next: step.unavailable, data: { ...data, reason: waited.reason } };
        case 'overflow': {
          await this.stopMoh(ctx);
          const to = waited.to;
          if ('queue' in to) {
            queue = to.queue;
            continue;
          }
          if ('step' in to) return { result: 'overflow', next: to.step, data: { ...data, to } };
          return { result: 'overflow', next: step.overflow, data: { ...data, to } };
        }
      }
    }
    return { result: 'overflow', next: step.overflow, data: { hops, reason: 'too many queue hops' } };
  }

  private request(ctx: VerbContext, queue: string, root: Scopeless): EnqueueRequest {
    const { step } = this;
    const priority = Number(resolveValue(step.priority, root));
    const lastAgent = step.lastAgent ? render(step.lastAgent, root).trim() : '';
    return {
      callId: ctx.call.id,
      channelId: ctx.channel.id,
      queue,
      skills: step.skills,
      language: ctx.language,
      priority: Number.isFinite(priority) ? priority : 0,
      ...(lastAgent ? { lastAgent } : {}),
      data: resolveValue(step.data, root) as Record<string, unknown>,
    };
  }

  /** Waits for routing's outcome, announcing meanwhile, or for the callback key. */
  private wait(ctx: VerbContext, queued: QueuedCall, waiting: Scope): Promise<Waited> {
    const { callback, announce } = this.step;
    return waiting.wait(
      new Promise<Waited>((resolve, reject) => {
        queued.outcome.then(resolve, reject);
        if (callback) {
          ctx.digits.watch(waiting, (d) => {
            if (d.digit !== callback.key) return;
            ctx.digits.take();
            resolve({ kind: 'callback-key', at: d.at });
          });
        }
        if (announce) {
          this.announceEvery(ctx, queued, waiting).catch((err: unknown) => {
            if (!waiting.closed) ctx.log.warn({ err }, 'queue announcement failed; still waiting');
          });
        }
      }),
    );
  }

  private async announceEvery(ctx: VerbContext, queued: QueuedCall, waiting: Scope): Promise<void> {
    const announce = this.step.announce!;
    const every = announce.every ?? queued.hold.announceEverySeconds;
    await waiting.sleep((announce.first ?? every) * 1000);
    for (;;) {
      await this.announce(ctx, queued, waiting);
      await waiting.sleep(every * 1000);
    }
  }

  private async announce(ctx: VerbContext, queued: QueuedCall, waiting: Scope): Promise<void> {
    const announce = this.step.announce!;
    const { hold } = queued;
    const asked = await waiting.wait(queued.position());
    // The queue's settings say what may be told: without the estimate, `withoutEstimate` plays.
    const position = hold.announcePosition ? asked.position : null;
    const estimatedWaitSeconds = hold.announceEstimatedWait ? asked.estimatedWaitSeconds : null;
    const queue = {
      name: queued.queue,
      position,
      waitSeconds: estimatedWaitSeconds,
      waitMinutes: estimatedWaitSeconds === null ? null : Math.max(1, Math.ceil(estimatedWaitSeconds / 60)),
    };
    const what =
      estimatedWaitSeconds === null && announce.withoutEstimate ? announce.withoutEstimate : announce.prompt;
    const offer = this.step.callback?.offer ?? [];
    // Stop music on hold, play, start it again: a channel plays one thing at a time on Asterisk.
    ctx.note('ivr.queue-announcement', { queue: queue.name, position, estimatedWaitSeconds });
    await waiting.wait(ctx.channel.stopMoh());
    await playPrompt(ctx, waiting, [...what, ...offer], { bargeIn: false, extra: { queue } });
    await waiting.wait(ctx.channel.startMoh(this.step.moh ?? hold.mohClass));
  }

  private async stopMoh(ctx: VerbContext): Promise<void> {
    await this.scope.wait(ctx.channel.stopMoh()).catch(() => undefined);
  }
}

export const enqueue: VerbDefinition<EnqueueStep> = {
  verb: 'enqueue',
  schema,
  waitsForCaller: true,
  needsAnswer: true,
  transitions: (step) => {
    const out: Transition[] = [
      { path: ['overflow'], target: step.overflow, label: 'overflow' },
      { path: ['unavailable'], target: step.unavailable, label: 'unavailable' },
    ];
    if (step.callback)
      out.push({
        path: ['callback', 'next'],
        target: step.callback.next,
        label: `callback ${step.callback.key}`,
      });
    if (step.onError) out.push({ path: ['onError'], target: step.onError, label: 'error' });
    return out;
  },
  create: (name, step) => new Enqueue(name, step),
};
