// say: speaks text in the call's language (TTS, or the recorded prompt `sound` when one exists
// for that language). A key press interrupts it (barge-in) and is kept for the next step.
import { z } from 'zod';
import { localizedText, stepBase, stepName } from '../flow/fields.js';
import { playPrompt } from '../runtime/input.js';
import { Verb, commonTransitions, type StepOutcome, type VerbContext, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('say'),
    ...stepBase,
    text: localizedText,
    /** Recorded prompt played instead of the TTS when sounds/<lang>/<sound>.wav exists. */
    sound: z
      .string()
      .regex(/^[\w/.-]+$/)
      .optional(),
    bargeIn: z.boolean().default(true),
    next: stepName.optional(),
  })
  .strict();
export type SayStep = z.infer<typeof schema>;

export class Say extends Verb<SayStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const prompt = [{ say: this.step.text, sound: this.step.sound }];
    const end = await playPrompt(ctx, this.scope, prompt, { bargeIn: this.step.bargeIn });
    return { result: end, next: this.step.next };
  }
}

export const say: VerbDefinition<SayStep> = {
  verb: 'say',
  schema,
  waitsForCaller: false,
  needsAnswer: true,
  transitions: commonTransitions,
  create: (name, step) => new Say(name, step),
};
