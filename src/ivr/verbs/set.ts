// set: assigns flow variables. Values may be `{{...}}` templates; a value that is one
// placeholder keeps its type (`priority: "{{customer.priority}}"` stays a number).
import { z } from 'zod';
import { assignments, reservedRoots, stepBase, stepName } from '../flow/fields.js';
import { assign, resolveValue } from '../runtime/template.js';
import {
  Verb,
  commonTransitions,
  type CheckProblem,
  type StepOutcome,
  type VerbContext,
  type VerbDefinition,
} from './verb.js';

const schema = z
  .object({
    verb: z.literal('set'),
    ...stepBase,
    vars: assignments.refine((v) => Object.keys(v).length > 0, 'set at least one variable'),
    next: stepName.optional(),
  })
  .strict();
export type SetStep = z.infer<typeof schema>;

export class SetVars extends Verb<SetStep> {
  exec(ctx: VerbContext): Promise<StepOutcome> {
    const root = ctx.templateRoot();
    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(this.step.vars)) {
      values[name] = resolveValue(value, root);
      assign(ctx.vars, name, values[name]);
    }
    return Promise.resolve({ result: 'ok', data: { vars: values }, next: this.step.next });
  }
}

/** Flags assignments to the variables the IVR fills itself (caller, call, language, queue). */
export function checkAssignable(names: string[], at: (string | number)[]): CheckProblem[] {
  return names
    .filter((n) => (reservedRoots as readonly string[]).includes(n.split('.')[0]!))
    .map((n) => ({
      path: [...at, n],
      message: `"${n.split('.')[0]}" is filled by the IVR and cannot be set (use another name)`,
    }));
}

export const set: VerbDefinition<SetStep> = {
  verb: 'set',
  schema,
  waitsForCaller: false,
  needsAnswer: false,
  transitions: commonTransitions,
  check: (step) => checkAssignable(Object.keys(step.vars), ['vars']),
  create: (name, step) => new SetVars(name, step),
};
