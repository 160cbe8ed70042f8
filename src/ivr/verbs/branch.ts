// branch: goes to the first `when` whose condition holds (variables and lookup results, the
// caller's number, the language, the time of day), else to `otherwise`.
import { z } from 'zod';
import { stepBase, stepName } from '../flow/fields.js';
import { condition, describe, evaluate } from '../runtime/conditions.js';
import { Verb, type StepOutcome, type Transition, type VerbContext, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('branch'),
    ...stepBase,
    when: z
      .array(z.object({ if: condition, next: stepName }).strict())
      .min(1, 'a branch needs at least one when'),
    otherwise: stepName,
  })
  .strict();
export type BranchStep = z.infer<typeof schema>;

export class Branch extends Verb<BranchStep> {
  exec(ctx: VerbContext): Promise<StepOutcome> {
    const env = {
      root: ctx.templateRoot(),
      callerNumber: ctx.call.callerNumber,
      language: ctx.language,
      now: ctx.services.now(),
      timezone: ctx.services.timezone,
    };
    const index = this.step.when.findIndex((w) => evaluate(w.if, env));
    if (index < 0) return Promise.resolve({ result: 'otherwise', next: this.step.otherwise });
    return Promise.resolve({
      result: 'matched',
      next: this.step.when[index]!.next,
      data: { when: index, condition: describe(this.step.when[index]!.if) },
    });
  }
}

export const branch: VerbDefinition<BranchStep> = {
  verb: 'branch',
  schema,
  waitsForCaller: false,
  needsAnswer: false,
  transitions: (step) => [
    ...step.when.map((w, i): Transition => ({
      path: ['when', i, 'next'],
      target: w.next,
      label: describe(w.if),
    })),
    { path: ['otherwise'], target: step.otherwise, label: 'otherwise' },
    ...(step.onError ? [{ path: ['onError'], target: step.onError, label: 'error' }] : []),
  ],
  create: (name, step) => new Branch(name, step),
};
