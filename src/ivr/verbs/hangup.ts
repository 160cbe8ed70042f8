// hangup: optionally says something, then ends the call with an outcome for the call record.
import { z } from 'zod';
import { prompt, stepBase } from '../flow/fields.js';
import { playPrompt } from '../runtime/input.js';
import { Verb, type StepOutcome, type VerbContext, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('hangup'),
    ...stepBase,
    prompt: prompt.optional(),
    /** calls.outcome, in the domain's words (default: what the call already counts as, else completed). */
    outcome: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'an outcome such as completed or after-hours')
      .optional(),
  })
  .strict();
export type HangupStep = z.infer<typeof schema>;

export class Hangup extends Verb<HangupStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    if (this.step.prompt && ctx.channel.answered) {
      await playPrompt(ctx, this.scope, this.step.prompt, { bargeIn: false });
    }
    // Not bound to the scope: hanging up makes the channel leave, which kills this very step.
    await ctx.channel.hangup().catch(() => undefined);
    return { result: 'hung-up', end: this.step.outcome ?? '' };
  }
}

export const hangup: VerbDefinition<HangupStep> = {
  verb: 'hangup',
  schema,
  waitsForCaller: false,
  needsAnswer: false,
  transitions: (step) => (step.onError ? [{ path: ['onError'], target: step.onError, label: 'error' }] : []),
  create: (name, step) => new Hangup(name, step),
};
