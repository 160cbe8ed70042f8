// menu: plays a prompt and waits for one key (or, with a speech recogniser for the call's
// language, one of the option's spoken words). No input → `noInput` and again; a key that is no
// option → `invalid` and again; after `retries` repeats the caller goes to `fallback`.
import { z } from 'zod';
import {
  assignments,
  localizedWords,
  pickWords,
  prompt,
  seconds,
  stepBase,
  stepName,
} from '../flow/fields.js';
import { listenForPhrases, playPrompt, type SpeechListener } from '../runtime/input.js';
import { assign, resolveValue } from '../runtime/template.js';
import type { Digit } from '../runtime/digits.js';
import type { Scope } from '../runtime/scope.js';
import { checkAssignable } from './set.js';
import { Verb, type StepOutcome, type Transition, type VerbContext, type VerbDefinition } from './verb.js';

const option = z
  .object({
    next: stepName,
    /** Spoken words that choose this option (per language or for all). */
    words: localizedWords.optional(),
    /** Variables to set when this option is chosen. */
    set: assignments.optional(),
  })
  .strict();

const schema = z
  .object({
    verb: z.literal('menu'),
    ...stepBase,
    prompt,
    options: z
      .record(z.string().regex(/^[0-9*#]$/, 'a menu key is one of 0-9 * #'), option)
      .refine((o) => Object.keys(o).length > 0, 'a menu needs at least one option'),
    /** Seconds to wait for a key after the prompt ends. */
    timeout: seconds.default(5),
    /** How many times the menu is repeated after no input or an invalid key. */
    retries: z.number().int().min(0).max(10).default(2),
    noInput: prompt.optional(),
    invalid: prompt.optional(),
    bargeIn: z.boolean().default(true),
    /** Where the caller goes once the retries are used up. */
    fallback: stepName,
  })
  .strict();
export type MenuStep = z.infer<typeof schema>;

type Choice =
  { kind: 'key'; digit: Digit } | { kind: 'speech'; phrase: string; heard: string } | { kind: 'none' };

export class Menu extends Verb<MenuStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const { step } = this;
    const tried: string[] = [];
    for (let attempt = 0; attempt <= step.retries; attempt++) {
      const choice = await this.ask(ctx);
      if (choice.kind === 'none') {
        tried.push('timeout');
        if (step.noInput && attempt < step.retries) await this.say(ctx, step.noInput);
        continue;
      }
      const key = choice.kind === 'key' ? choice.digit.digit : this.keyOfPhrase(ctx, choice.phrase);
      const chosen = key === undefined ? undefined : step.options[key];
      if (chosen && key !== undefined) {
        this.apply(ctx, chosen.set);
        return {
          result: choice.kind === 'key' ? 'option' : 'speech',
          input: choice.kind === 'key' ? key : choice.phrase,
          inputAt: choice.kind === 'key' ? choice.digit.at : Date.now(),
          next: chosen.next,
          data: { key, attempts: attempt + 1, ...(choice.kind === 'speech' ? { heard: choice.heard } : {}) },
        };
      }
      tried.push(`invalid:${choice.kind === 'key' ? choice.digit.digit : choice.heard}`);
      ctx.digits.clear();
      if (step.invalid && attempt < step.retries) await this.say(ctx, step.invalid);
    }
    const last = tried[tried.length - 1] ?? 'timeout';
    return {
      result: 'fallback',
      input: last.startsWith('invalid:') ? last.slice('invalid:'.length) : undefined,
      next: step.fallback,
      data: { attempts: tried.length, tried },
    };
  }

  /** Plays the prompt (interruptible) and waits for a key or a spoken option. */
  private async ask(ctx: VerbContext): Promise<Choice> {
    // One scope per attempt: the speech listener and the key wait of an attempt end with it.
    const attempt = this.scope.child();
    try {
      const phrases = Object.values(this.step.options).flatMap((o) => pickWords(o.words, ctx.language));
      const speech = listenForPhrases(ctx, attempt, phrases, (this.step.timeout + 60) * 1000);
      const end = await playPrompt(ctx, attempt, this.step.prompt, { bargeIn: this.step.bargeIn });
      if (end === 'barged' || ctx.digits.pending) {
        const digit = ctx.digits.take();
        if (digit) return { kind: 'key', digit };
      }
      return await this.waitForChoice(ctx, attempt, speech);
    } finally {
      attempt.close();
    }
  }

  private waitForChoice(ctx: VerbContext, attempt: Scope, speech: SpeechListener | null): Promise<Choice> {
    const key = ctx.digits
      .next(attempt, this.step.timeout * 1000)
      .then((digit): Choice => (digit ? { kind: 'key', digit } : { kind: 'none' }));
    if (!speech) return key;
    const spoken = speech.result.then((r): Choice | Promise<Choice> =>
      r.phrase ? { kind: 'speech', phrase: r.phrase, heard: r.heard } : key,
    );
    return Promise.race([key, spoken]);
  }

  private keyOfPhrase(ctx: VerbContext, phrase: string): string | undefined {
    const wanted = phrase.toLowerCase();
    return Object.entries(this.step.options).find(([, o]) =>
      pickWords(o.words, ctx.language).some((w) => w.toLowerCase() === wanted),
    )?.[0];
  }

  private apply(ctx: VerbContext, vars: Record<string, unknown> | undefined): void {
    if (!vars) return;
    const root = ctx.templateRoot();
    for (const [name, value] of Object.entries(vars)) assign(ctx.vars, name, resolveValue(value, root));
  }

  private async say(ctx: VerbContext, p: MenuStep['prompt']): Promise<void> {
    await playPrompt(ctx, this.scope, p, { bargeIn: this.step.bargeIn });
  }
}

export const menu: VerbDefinition<MenuStep> = {
  verb: 'menu',
  schema,
  waitsForCaller: true,
  needsAnswer: true,
  transitions: (step) => [
    ...Object.entries(step.options).map(([key, o]): Transition => ({
      path: ['options', key, 'next'],
      target: o.next,
      label: key,
    })),
    { path: ['fallback'], target: step.fallback, label: 'fallback' },
    ...(step.onError ? [{ path: ['onError'], target: step.onError, label: 'error' }] : []),
  ],
  check: (step) =>
    Object.entries(step.options).flatMap(([key, o]) =>
      checkAssignable(Object.keys(o.set ?? {}), ['options', key, 'set']),
    ),
  create: (name, step) => new Menu(name, step),
};
