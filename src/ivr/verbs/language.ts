// language: switches the call's language: prompts (recorded and TTS voice), speech recognition,
// and the call record's `language`. The value may be a template (`{{customer.language}}`).
import { z } from 'zod';
import { stepBase, stepName } from '../flow/fields.js';
import { render } from '../runtime/template.js';
import { Verb, commonTransitions, type StepOutcome, type VerbContext, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('language'),
    ...stepBase,
    set: z.string().min(1),
    next: stepName.optional(),
  })
  .strict();
export type LanguageStep = z.infer<typeof schema>;

export class Language extends Verb<LanguageStep> {
  exec(ctx: VerbContext): Promise<StepOutcome> {
    const wanted = render(this.step.set, ctx.templateRoot()).trim();
    if (!ctx.services.languages[wanted]) {
      ctx.log.warn(
        { wanted },
        'language step asked for a language that is not configured; keeping the current one',
      );
      return Promise.resolve({ result: 'unknown-language', input: wanted, next: this.step.next });
    }
    ctx.setLanguage(wanted);
    return Promise.resolve({ result: 'ok', input: wanted, next: this.step.next });
  }
}

export const language: VerbDefinition<LanguageStep> = {
  verb: 'language',
  schema,
  waitsForCaller: false,
  needsAnswer: false,
  transitions: commonTransitions,
  check: (step, ctx) =>
    step.set.includes('{{') || ctx.languages.includes(step.set)
      ? []
      : [
          {
            path: ['set'],
            message: `"${step.set}" is not a configured language (ivr.languages has ${ctx.languages.join(', ')})`,
          },
        ],
  create: (name, step) => new Language(name, step),
};
