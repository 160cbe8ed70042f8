// play: sounds and other ARI media (a playlist: several URIs played in order), e.g. recorded
// prompts, `digits:{{order}}`, `tone:ring`, a voicemail `recording:`.
import { z } from 'zod';
import { stepBase, stepName } from '../flow/fields.js';
import { playPrompt } from '../runtime/input.js';
import { Verb, commonTransitions, type StepOutcome, type VerbContext, type VerbDefinition } from './verb.js';

const mediaUri = z.string().regex(/^(sound|digits|number|characters|tone|recording):.+/, 'an ARI media URI');

const schema = z
  .object({
    verb: z.literal('play'),
    ...stepBase,
    media: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(mediaUri).min(1)),
    /** A key press stops the playlist (the digit stays for the next step). */
    bargeIn: z.boolean().default(false),
    next: stepName.optional(),
  })
  .strict();
export type PlayStep = z.infer<typeof schema>;

export class Play extends Verb<PlayStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const prompt = this.step.media.map((media) => ({ media }));
    const end = await playPrompt(ctx, this.scope, prompt, { bargeIn: this.step.bargeIn });
    return { result: end, next: this.step.next };
  }
}

export const play: VerbDefinition<PlayStep> = {
  verb: 'play',
  schema,
  waitsForCaller: false,
  needsAnswer: true,
  transitions: commonTransitions,
  create: (name, step) => new Play(name, step),
};
