// subflow: runs another flow from its start; when that flow ends (a step with no next), this
// flow continues at `next`. A hangup or a transfer inside the subflow ends the call as usual.
import { z } from 'zod';
import { flowName, stepBase, stepName } from '../flow/fields.js';
import { Verb, commonTransitions, type StepOutcome, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('subflow'),
    ...stepBase,
    flow: flowName,
    next: stepName.optional(),
  })
  .strict();
export type SubflowStep = z.infer<typeof schema>;

export class Subflow extends Verb<SubflowStep> {
  exec(): Promise<StepOutcome> {
    return Promise.resolve({ result: 'ok', call: { flow: this.step.flow, returnTo: this.step.next } });
  }
}

export const subflow: VerbDefinition<SubflowStep> = {
  verb: 'subflow',
  schema,
  // The called flow may wait for the caller; loops through a subflow are checked in that flow.
  waitsForCaller: true,
  needsAnswer: false,
  transitions: commonTransitions,
  flowRefs: (step) => [{ path: ['flow'], flow: step.flow }],
  create: (name, step) => new Subflow(name, step),
};
