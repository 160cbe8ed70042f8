// Playing a prompt the caller may interrupt with a key (barge-in), and listening for a spoken
// choice at the same time as keys: the two things menu, gather and enqueue all do.
import type { Prompt } from '../flow/fields.js';
import type { PlaybackEnd } from '../resources/contract.js';
import type { VerbContext } from '../verbs/verb.js';
import type { Scope } from './scope.js';
import type { Scopeless } from './template.js';

export type PromptEnd = PlaybackEnd | 'barged';

/**
 * Plays `prompt` and waits for its end. With `bargeIn`, a key press stops it (the digit stays in
 * the buffer for whoever reads next), and a digit already waiting skips it altogether.
 */
export async function playPrompt(
  ctx: VerbContext,
  scope: Scope,
  prompt: Prompt,
  options: { bargeIn: boolean; extra?: Scopeless; onStarted?: () => void },
): Promise<PromptEnd> {
  if (options.bargeIn && ctx.digits.pending) return 'barged';
  const playback = await ctx.prompts.play(prompt, scope, options.extra);
  if (options.onStarted) void playback.started.then(options.onStarted);
  if (!options.bargeIn) return scope.wait(playback.finished);
  if (ctx.digits.pending) {
    await playback.stop();
    return 'barged';
  }
  return scope.wait(
    new Promise<PromptEnd>((resolve) => {
      const off = ctx.digits.watch(scope, () => {
        off();
        resolve('barged');
        void playback.stop();
      });
      void playback.finished.then((end) => {
        off();
        resolve(end);
      });
    }),
  );
}

export interface SpeechListener {
  /** Resolves with the matched phrase, or null (nothing matched, or stopped). */
  readonly result: Promise<{ phrase: string | null; heard: string; confidence: number | null }>;
  stop(): void;
}

/**
 * Starts listening for one of `phrases` when a recogniser is configured and can do the call's
 * language; null when speech is not possible (then only keys count).
 */
export function listenForPhrases(
  ctx: VerbContext,
  scope: Scope,
  phrases: string[],
  timeoutMs: number,
): SpeechListener | null {
  const recognizer = ctx.services.speech;
  const tag = ctx.services.languages[ctx.language]?.speech;
  if (!recognizer || !tag || !phrases.length || !recognizer.supports(tag)) return null;
  const controller = new AbortController();
  const stop = () => controller.abort();
  scope.onClose(stop);
  const result = recognizer
    .recognize({ channelId: ctx.channel.id, phrases, language: tag, timeoutMs }, controller.signal)
    .catch((err: unknown) => {
      if (!controller.signal.aborted) ctx.log.warn({ err }, 'speech recognition failed; keys only');
      return { phrase: null, heard: '', confidence: null };
    });
  return { result, stop };
}
