// Tolerant phrase matching for compliance rules: "thanks for calling" matches "thank you for
// calling", "請問還有其他可以幫您的嗎" matches "请问还有什么可以帮您", and "I can't help you"
// does not match "I can help you". Text and phrases become symbol sequences (English: stemmed
// words; Chinese: jieba words exploded into characters, so two segmentations of the same words
// still align) with synonym groups folded to one symbol each, then the phrase is aligned to the
// best-matching stretch of the text by approximate substring matching (Sellers' algorithm).
// Written by hand because the edit-distance libraries (fastest-levenshtein) compare whole
// strings, not a phrase against the best substring of a longer text.
import { distance } from 'fastest-levenshtein';
import { isNegator, negatorPrefixesZh, degreeOf } from './negation.js';
import { foldText, hasChinese } from './normalise.js';
import { stemEn, wordsOfFolded } from './tokens.js';

/** Words that mean the same to a rule, in both languages: each group folds to one symbol. */
export class Synonyms {
  private readonly byForm = new Map<string, string>();
  /** Longest variant, in words, so the scan knows how far to look ahead. */
  private longest = 1;

  constructor(groups: readonly (readonly string[])[] = []) {
    groups.forEach((group, i) => {
      for (const variant of group) {
        const forms = formsOf(variant);
        if (!forms.length) continue;
        this.byForm.set(forms.join(hasChinese(variant) ? '' : ' '), `§${i}`);
        this.longest = Math.max(
          this.longest,
          forms.length,
          hasChinese(variant) ? [...forms.join('')].length : 0,
        );
      }
    });
  }

  get size(): number {
    return this.byForm.size;
  }

  /** The group symbol of the words `from..to` (exclusive), if they form a variant. */
  lookup(forms: readonly string[], from: number, to: number, chinese: boolean): string | undefined {
    return this.byForm.get(forms.slice(from, to).join(chinese ? '' : ' '));
  }

  get maxSpan(): number {
    return this.longest;
  }
}

function formsOf(text: string): string[] {
  return wordsOfFolded(foldText(text)).map(stemEn);
}

/** A text ready for matching: its symbols and, per symbol, the word it came from. */
export interface PreparedText {
  words: string[];
  symbols: string[];
  wordOf: number[];
  /** Offset of the symbol inside its word (Chinese characters), 0 otherwise. */
  offsetInWord: number[];
}

const empty = new Synonyms();

/** Turns text into symbols: stems or characters, synonym groups folded. */
export function prepareText(text: string, synonyms: Synonyms = empty): PreparedText {
  const words = wordsOfFolded(foldText(text));
  const forms = words.map(stemEn);
  const symbols: string[] = [];
  const wordOf: number[] = [];
  const offsetInWord: number[] = [];
  for (let i = 0; i < forms.length;) {
    const group = synonymAt(forms, i, synonyms);
    if (group) {
      symbols.push(group.symbol);
      wordOf.push(i);
      offsetInWord.push(0);
      i = group.next;
      continue;
    }
    const form = forms[i]!;
    if (hasChinese(form)) {
      [...form].forEach((ch, k) => {
        symbols.push(ch);
        wordOf.push(i);
        offsetInWord.push(k);
      });
    } else {
      symbols.push(form);
      wordOf.push(i);
      offsetInWord.push(0);
    }
    i++;
  }
  return { words, symbols, wordOf, offsetInWord };
}

function synonymAt(forms: string[], i: number, synonyms: Synonyms): { symbol: string; next: number } | null {
  if (!synonyms.size) return null;
  const chinese = hasChinese(forms[i]!);
  for (let to = Math.min(forms.length, i + synonyms.maxSpan); to > i; to--) {
    const symbol = synonyms.lookup(forms, i, to, chinese);
    if (symbol) return { symbol, next: to };
  }
  return null;
}

/** Cost of reading `b` where the phrase says `a`: 0 same, small for a near spelling, 1 else. */
function substitution(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length < 4 || b.length < 4 || a[0] === '§' || b[0] === '§') return 1;
  const d = distance(a, b);
  const longest = Math.max(a.length, b.length);
  return d <= 1 || (longest >= 8 && d <= 2) ? 0.3 : 1;
}

/** An extra word inside the matched stretch ("thank you *so much* for calling") costs less than a missing one. */
const insertionCost = 0.25;

export interface PhraseMatch {
  phrase: string;
  /** 0..1: 1 is the phrase word for word. */
  similarity: number;
  /** The matched words of the text. */
  matched: string;
  /** The match is preceded by a negator ("not happy", "不满意"). */
  negated: boolean;
}

/** A phrase compiled once, matched against many texts. */
export class Phrase {
  readonly symbols: string[];
  private readonly startsNegated: boolean;
  private readonly ownWords: Set<string>;

  constructor(
    readonly text: string,
    synonyms: Synonyms = empty,
  ) {
    const prepared = prepareText(text, synonyms);
    this.symbols = prepared.symbols;
    this.startsNegated = prepared.words.length > 0 && isNegator(prepared.words[0]!);
    this.ownWords = new Set(prepared.words);
  }

  /** The best alignment of this phrase inside `target`, or null if it is nowhere near. */
  matchIn(target: PreparedText): PhraseMatch | null {
    const p = this.symbols;
    const t = target.symbols;
    const m = p.length;
    if (!m || !t.length) return null;
    // prev[j]/cur[j]: cost of aligning p[0..i) ending at t[j); start[j]: where that alignment began.
    let prev = new Float64Array(t.length + 1);
    let cur = new Float64Array(t.length + 1);
    let prevStart = Int32Array.from({ length: t.length + 1 }, (_, j) => j);
    let curStart = new Int32Array(t.length + 1);
    for (let i = 1; i <= m; i++) {
      cur[0] = i;
      curStart[0] = 0;
      for (let j = 1; j <= t.length; j++) {
        const diag = prev[j - 1]! + substitution(p[i - 1]!, t[j - 1]!);
        const up = prev[j]! + 1;
        const left = cur[j - 1]! + insertionCost;
        if (diag <= up && diag <= left) {
          cur[j] = diag;
          curStart[j] = prevStart[j - 1]!;
        } else if (up <= left) {
          cur[j] = up;
          curStart[j] = prevStart[j]!;
        } else {
          cur[j] = left;
          curStart[j] = curStart[j - 1]!;
        }
      }
      [prev, cur] = [cur, prev];
      [prevStart, curStart] = [curStart, prevStart];
    }
    let bestEnd = 1;
    for (let j = 2; j <= t.length; j++) if (prev[j]! < prev[bestEnd]!) bestEnd = j;
    const similarity = Math.max(0, 1 - prev[bestEnd]! / m);
    const start = prevStart[bestEnd]!;
    const firstWord = target.wordOf[start] ?? 0;
    const lastWord = target.wordOf[bestEnd - 1] ?? firstWord;
    const joiner = hasChinese(target.words[firstWord] ?? '') ? '' : ' ';
    return {
      phrase: this.text,
      similarity,
      matched: target.words.slice(firstWord, lastWord + 1).join(joiner),
      negated:
        (!this.startsNegated && negatedAt(target, start)) ||
        target.words.slice(firstWord, lastWord + 1).some((w) => isNegator(w) && !this.ownWords.has(w)),
    };
  }
}

/** Whether the symbol at `start` follows a negator, skipping degree words ("not very happy"). */
function negatedAt(target: PreparedText, start: number): boolean {
  const word = target.wordOf[start];
  if (word === undefined) return false;
  const offset = target.offsetInWord[start] ?? 0;
  if (offset > 0) {
    const prefix = target.words[word]!.slice(0, offset);
    if (negatorPrefixesZh.some((n) => prefix.endsWith(n))) return true;
  }
  for (let w = word - 1, hops = 0; w >= 0 && hops < 3; w--, hops++) {
    const before = target.words[w]!;
    if (isNegator(before)) return true;
    if (
      degreeOf(before) === undefined &&
      !/^(be|is|am|are|was|were|'m|i|it|that|this|都|也|就|得|是)$/.test(before)
    )
      return false;
  }
  return false;
}

/** The best hit of any of `phrases` in `target` at or above `minSimilarity`, negated ones excluded. */
export function bestMatch(
  phrases: readonly Phrase[],
  target: PreparedText,
  minSimilarity: number,
): PhraseMatch | null {
  let best: PhraseMatch | null = null;
  for (const phrase of phrases) {
    const hit = phrase.matchIn(target);
    if (!hit || hit.negated || hit.similarity < minSimilarity) continue;
    if (!best || hit.similarity > best.similarity) best = hit;
    if (best.similarity === 1) break;
  }
  return best;
}
