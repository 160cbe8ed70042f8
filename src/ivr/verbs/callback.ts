// callback: offers to call the caller back instead of waiting: one key for the number they are
// calling from, another to key in a different number. The request is stored
// (`callback_requests`, status pending) for whoever works the list (GET /api/callbacks): routing
// dials only the callbacks taken while waiting in a queue (enqueue's callback key).
import { z } from 'zod';
import { prompt, seconds, stepBase, stepName } from '../flow/fields.js';
import { playPrompt } from '../runtime/input.js';
import { render, resolveValue } from '../runtime/template.js';
import { Verb, type StepOutcome, type Transition, type VerbContext, type VerbDefinition } from './verb.js';

const key = z.string().regex(/^[0-9*#]$/, 'a key 0-9 * #');

const schema = z
  .object({
    verb: z.literal('callback'),
    ...stepBase,
    queue: z.string().min(1),
    /** e.g. "Press 1 to be called back on this number, 2 to enter another number." */
    prompt,
    acceptKey: key.default('1'),
    /** Key to enter another number; needs `numberPrompt`. */
    otherNumberKey: key.optional(),
    numberPrompt: prompt.optional(),
    /** Number or `{{variable}}`; callbacks usually go before new callers. */
    priority: z.union([z.number().int(), z.string()]).default(5),
    data: z.record(z.string(), z.unknown()).default({}),
    timeout: seconds.default(5),
    retries: z.number().int().min(0).max(5).default(1),
    next: stepName,
    declined: stepName,
  })
  .strict()
  .refine((s) => (s.otherNumberKey === undefined) === (s.numberPrompt === undefined), {
    message: 'otherNumberKey and numberPrompt go together',
    path: ['otherNumberKey'],
  });
export type CallbackStep = z.infer<typeof schema>;

export class Callback extends Verb<CallbackStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const { step } = this;
    for (let attempt = 0; attempt <= step.retries; attempt++) {
      await playPrompt(ctx, this.scope, step.prompt, { bargeIn: true });
      const digit = await ctx.digits.next(this.scope, step.timeout * 1000);
      if (!digit) continue;
      if (digit.digit === step.acceptKey)
        return this.store(ctx, ctx.call.callerNumber, digit.digit, digit.at);
      if (digit.digit === step.otherNumberKey) {
        const number = await this.readNumber(ctx);
        if (number) return this.store(ctx, number, digit.digit, Date.now());
      }
      ctx.digits.clear();
    }
    return { result: 'declined', next: step.declined };
  }

  private async readNumber(ctx: VerbContext): Promise<string | null> {
    await playPrompt(ctx, this.scope, this.step.numberPrompt!, { bargeIn: true });
    let number = '';
    for (;;) {
      const digit = await ctx.digits.next(this.scope, (number ? 3 : this.step.timeout) * 1000);
      if (!digit || digit.digit === '#') break;
      if (/\d/.test(digit.digit)) number += digit.digit;
      if (number.length >= 20) break;
    }
    return number.length >= 5 ? number : null;
  }

  private async store(
    ctx: VerbContext,
    number: string,
    input: string,
    inputAt: number,
  ): Promise<StepOutcome> {
    const root = ctx.templateRoot();
    const queue = render(this.step.queue, root);
    const priority = Number(resolveValue(this.step.priority, root));
    const request = await this.scope.wait(
      ctx.services.store.saveCallbackRequest({
        callId: ctx.call.id,
        number,
        queue,
        language: ctx.language,
        priority: Number.isFinite(priority) ? priority : 0,
        data: resolveValue(this.step.data, root) as Record<string, unknown>,
      }),
    );
    ctx.updateCall({ outcome: 'callback', data: { callback: { id: request.id, number, queue } } });
    return {
      result: 'requested',
      input,
      inputAt,
      next: this.step.next,
      data: { callback: request.id, queue },
    };
  }
}

export const callback: VerbDefinition<CallbackStep> = {
  verb: 'callback',
  schema,
  waitsForCaller: true,
  needsAnswer: true,
  transitions: (step) => {
    const out: Transition[] = [
      { path: ['next'], target: step.next, label: 'requested' },
      { path: ['declined'], target: step.declined, label: 'declined' },
    ];
    if (step.onError) out.push({ path: ['onError'], target: step.onError, label: 'error' });
    return out;
  },
  create: (name, step) => new Callback(name, step),
};
