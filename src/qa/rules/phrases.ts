// Phrase lists in rule files: either one list for every language, or one per language
// ({ en: [...], zh: [...] }) so a Chinese segment is only held to Chinese wording.
import { z } from 'zod';
import type { PreparedCall } from '../call.js';
import { bestMatch, Phrase, type PhraseMatch, type Synonyms } from '../text/match.js';
import type { TextLanguage } from '../text/normalise.js';

const list = z.array(z.string().min(1)).min(1);

export const phraseListSchema = z.union([
  list,
  z
    .object({ en: list.optional(), zh: list.optional() })
    .strict()
    .refine((v) => v.en || v.zh, 'give phrases for at least one language (en, zh)'),
]);

export type PhraseList = z.infer<typeof phraseListSchema>;

/** Shared by every rule kind: how close a wording must be to count (1 = word for word). */
export const minSimilaritySchema = z.number().min(0.5).max(1).optional();

export class PhraseSet {
  private readonly byLanguage: Record<TextLanguage, Phrase[]>;

  constructor(
    list: PhraseList,
    synonyms: Synonyms,
    readonly minSimilarity: number,
  ) {
    const compile = (items: string[] | undefined) => (items ?? []).map((p) => new Phrase(p, synonyms));
    if (Array.isArray(list)) {
      const all = compile(list);
      this.byLanguage = { en: all, zh: all };
    } else {
      this.byLanguage = { en: compile(list.en), zh: compile(list.zh) };
    }
  }

  /** The best phrase hit in segment `i` of the call, or null. */
  findIn(call: PreparedCall, i: number): PhraseMatch | null {
    const phrases = this.byLanguage[call.language(i)];
    if (!phrases.length) return null;
    return bestMatch(phrases, call.prepared(i), this.minSimilarity);
  }
}
