// goto: continues at another step of this flow, or at the start of another flow (no return).
import { z } from 'zod';
import { flowName, stepBase, stepName } from '../flow/fields.js';
import { Verb, type StepOutcome, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('goto'),
    ...stepBase,
    step: stepName.optional(),
    flow: flowName.optional(),
  })
  .strict()
  .refine((s) => (s.step === undefined) !== (s.flow === undefined), {
    message: 'goto needs exactly one of step (in this flow) or flow (another flow)',
  });
export type GotoStep = z.infer<typeof schema>;

export class Goto extends Verb<GotoStep> {
  exec(): Promise<StepOutcome> {
    if (this.step.flow) return Promise.resolve({ result: 'ok', jump: { flow: this.step.flow } });
    return Promise.resolve({ result: 'ok', next: this.step.step });
  }
}

export const goto: VerbDefinition<GotoStep> = {
  verb: 'goto',
  schema,
  waitsForCaller: false,
  needsAnswer: false,
  transitions: (step) => [
    ...(step.step ? [{ path: ['step'], target: step.step, label: '' }] : []),
    ...(step.onError ? [{ path: ['onError'], target: step.onError, label: 'error' }] : []),
  ],
  flowRefs: (step) => (step.flow ? [{ path: ['flow'], flow: step.flow }] : []),
  create: (name, step) => new Goto(name, step),
};
