// answer: picks up the call. Steps that need an answered channel answer it anyway; an explicit
// answer step lets a flow choose the moment (e.g. after a `hours` check that rejects early).
import { z } from 'zod';
import { stepBase, stepName } from '../flow/fields.js';
import { Verb, commonTransitions, type StepOutcome, type VerbContext, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('answer'),
    ...stepBase,
    next: stepName.optional(),
  })
  .strict();
export type AnswerStep = z.infer<typeof schema>;

export class Answer extends Verb<AnswerStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const was = ctx.channel.answered;
    await this.scope.wait(ctx.answer());
    return { result: was ? 'already-answered' : 'answered', next: this.step.next };
  }
}

export const answer: VerbDefinition<AnswerStep> = {
  verb: 'answer',
  schema,
  waitsForCaller: false,
  needsAnswer: false,
  transitions: commonTransitions,
  create: (name, step) => new Answer(name, step),
};
