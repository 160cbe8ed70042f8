// gather: collects digits (an account number, an order id) into a variable: at least minDigits,
// at most maxDigits, ended early by the terminator key or a pause longer than
// interDigitTimeout. With `phrases` and a speech recogniser for the call's language, a spoken
// phrase is accepted too. Bad or missing input is retried, then the caller goes to `fallback`.
import { z } from 'zod';
import { localizedWords, pickWords, prompt, seconds, stepBase, stepName } from '../flow/fields.js';
import { listenForPhrases, playPrompt } from '../runtime/input.js';
import type { Scope } from '../runtime/scope.js';
import { assign } from '../runtime/template.js';
import { checkAssignable } from './set.js';
import { Verb, type StepOutcome, type VerbContext, type VerbDefinition } from './verb.js';

const schema = z
  .object({
    verb: z.literal('gather'),
    ...stepBase,
    prompt,
    /** Where the input goes (dotted variable name). */
    variable: z.string().regex(/^[A-Za-z_][\w-]*(\.[\w-]+)*$/),
    minDigits: z.number().int().min(1).max(64).default(1),
    maxDigits: z.number().int().min(1).max(64).default(20),
    /** Ends the input early; not part of the value. Empty string: no terminator. */
    terminator: z
      .string()
      .regex(/^[*#]?$/, 'the terminator is * or # (or "" for none)')
      .default('#'),
    /** Seconds to wait for the first key after the prompt. */
    timeout: seconds.default(5),
    /** Seconds allowed between two keys before the input counts as finished. */
    interDigitTimeout: seconds.default(3),
    /** The whole input must match this regular expression to count. */
    pattern: z
      .string()
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
    /** Spoken alternatives (e.g. yes / no), recognised when a speech recogniser can do the language. */
    phrases: localizedWords.optional(),
    retries: z.number().int().min(0).max(10).default(2),
    noInput: prompt.optional(),
    invalid: prompt.optional(),
    bargeIn: z.boolean().default(true),
    next: stepName,
    fallback: stepName,
  })
  .strict()
  .refine((s) => s.minDigits <= s.maxDigits, {
    message: 'minDigits is above maxDigits',
    path: ['minDigits'],
  });
export type GatherStep = z.infer<typeof schema>;

type Input =
  | { kind: 'digits'; value: string; at: number; ended: 'terminator' | 'max' | 'pause' }
  | { kind: 'speech'; value: string; heard: string }
  | { kind: 'none' };

export class Gather extends Verb<GatherStep> {
  async exec(ctx: VerbContext): Promise<StepOutcome> {
    const { step } = this;
    const tried: string[] = [];
    for (let attempt = 0; attempt <= step.retries; attempt++) {
      const input = await this.collect(ctx);
      if (input.kind === 'none') {
        tried.push('timeout');
        if (step.noInput && attempt < step.retries)
          await playPrompt(ctx, this.scope, step.noInput, this.opts);
        continue;
      }
      if (this.valid(input)) {
        assign(ctx.vars, step.variable, input.value);
        return {
          result: input.kind === 'digits' ? 'digits' : 'speech',
          input: input.value,
          inputAt: input.kind === 'digits' ? input.at : Date.now(),
          next: step.next,
          data: input.kind === 'digits' ? { ended: input.ended } : { heard: input.heard },
        };
      }
      tried.push(`invalid:${input.value}`);
      ctx.digits.clear();
      if (step.invalid && attempt < step.retries) await playPrompt(ctx, this.scope, step.invalid, this.opts);
    }
    return { result: 'fallback', next: step.fallback, data: { attempts: tried.length, tried } };
  }

  private get opts() {
    return { bargeIn: this.step.bargeIn };
  }

  private valid(input: Exclude<Input, { kind: 'none' }>): boolean {
    if (input.kind === 'speech') return true;
    const { minDigits, pattern } = this.step;
    if (input.value.length < minDigits) return false;
    return pattern ? new RegExp(`^(?:${pattern})$`).test(input.value) : true;
  }

  private async collect(ctx: VerbContext): Promise<Input> {
    const attempt = this.scope.child();
    try {
      const phrases = pickWords(this.step.phrases, ctx.language);
      const speech = listenForPhrases(ctx, attempt, phrases, (this.step.timeout + 60) * 1000);
      await playPrompt(ctx, attempt, this.step.prompt, this.opts);
      const keys = this.readDigits(ctx, attempt);
      if (!speech) return await keys;
      const spoken = speech.result.then((r): Input | Promise<Input> =>
        r.phrase ? { kind: 'speech', value: r.phrase, heard: r.heard } : keys,
      );
      // Speech counts only until the first key: then the caller is typing.
      return await Promise.race([keys, spoken]);
    } finally {
      attempt.close();
    }
  }

  /** Reads keys until the terminator, maxDigits, or a pause (timeout first, then inter-digit). */
  private async readDigits(ctx: VerbContext, attempt: Scope): Promise<Input> {
    const { terminator, maxDigits, timeout, interDigitTimeout } = this.step;
    let value = '';
    let at = 0;
    for (;;) {
      const wait = value ? interDigitTimeout : timeout;
      const digit = await ctx.digits.next(attempt, wait * 1000);
      if (!digit) return value ? { kind: 'digits', value, at, ended: 'pause' } : { kind: 'none' };
      at = digit.at;
      if (terminator && digit.digit === terminator) {
        return value ? { kind: 'digits', value, at, ended: 'terminator' } : { kind: 'none' };
      }
      value += digit.digit;
      if (value.length >= maxDigits) return { kind: 'digits', value, at, ended: 'max' };
    }
  }
}

export const gather: VerbDefinition<GatherStep> = {
  verb: 'gather',
  schema,
  waitsForCaller: true,
  needsAnswer: true,
  transitions: (step) => [
    { path: ['next'], target: step.next, label: 'input' },
    { path: ['fallback'], target: step.fallback, label: 'fallback' },
    ...(step.onError ? [{ path: ['onError'], target: step.onError, label: 'error' }] : []),
  ],
  check: (step) => checkAssignable([step.variable], ['variable']),
  create: (name, step) => new Gather(name, step),
};
