// Sentiment of one segment, in either language, with the `sentiment` package: AFINN-165 (plus
// Hotline's supplement) for English, Hotline's own lexicon for Chinese, both registered as
// languages of the package with one scoring strategy that handles negation ("not happy",
// "不满意") and degree words ("very", "非常", "太"). Chinese is segmented with jieba and joined
// with spaces first (FACTS.md). Clause punctuation becomes a boundary token `|` so a negator in
// one clause never flips a word in the next.
//
// Two readings come out: valence, what the segment says (every word once), and anger, how upset
// the speaker sounds. Only the second is shaped by how things are said — the turn of a contrast
// (contrast.ts), plain questions (questions.ts), named feelings (feelings.ts), faces
// (emoticons.ts), frustration phrasing and intensity (cues-*.ts, intensity.ts) — because
// satisfaction over a dialogue follows what callers talk about, while upset is the feeling.
// Politeness formulas and quotations are not the speaker's feeling in either reading.
import { createRequire } from 'node:module';
import Sentiment from 'sentiment';
import { foldText, hasChinese } from '../text/normalise.js';
import { wordsOfFolded } from '../text/tokens.js';
import { degreeOf, isNegator, negatorPrefixesZh } from '../text/negation.js';
import { contrastParts } from './contrast.js';
import { emoticonsOf } from './emoticons.js';
import { feelingsIn } from './feelings.js';
import { intensityOf } from './intensity.js';
import { enSupplement } from './lexicon-en.js';
import { zhLexicon } from './lexicon-zh.js';
import { withoutPoliteness } from './politeness.js';
import { isPlainQuestion, questionWeight } from './questions.js';
import { withoutQuotations } from './quotes.js';

const boundary = '|';

/** How far back a negator or degree word still applies ("not at all happy", "一点都不满意"). */
const window = 3;

const scoringStrategy = {
  apply(tokens: string[], cursor: number, tokenScore: number): number {
    let score = tokenScore;
    let negated = false;
    for (let i = cursor - 1; i >= 0 && i >= cursor - window; i--) {
      const token = tokens[i]!;
      if (token === boundary) break;
      if (isNegator(token)) negated = !negated;
      const degree = degreeOf(token);
      if (degree !== undefined) score *= degree;
    }
    // "not bad" is mildly good, not as good as "good": a negated negative word halves on flipping.
    if (negated) score = score > 0 ? -score : -score * 0.5;
    return score;
  },
};

// AFINN-165 as the package ships it; loaded with require because it is a CommonJS JSON file.
const afinn = createRequire(import.meta.url)('sentiment/languages/en/labels.json') as Record<string, number>;

const analyser = new Sentiment();
let registered = false;

function register(): void {
  if (registered) return;
  // Registered under our own codes: the package's 'en' table (AFINN-165) stays as shipped.
  analyser.registerLanguage('hl-en', { labels: { ...afinn, ...enSupplement }, scoringStrategy });
  analyser.registerLanguage('hl-zh', { labels: { ...zhLexicon }, scoringStrategy });
  registered = true;
}

export interface SegmentSentiment {
  /** Sum of word scores after negation and degree (AFINN scale). */
  score: number;
  /** -1..1, the score squashed so long and short segments compare. */
  valence: number;
  /** -1..1, the valence of the most negative sentence (a rant inside a long post). */
  worst: number;
  /** 0..1: how angry or upset the segment sounds (negativity, anger words, !!!, SHOUTING). */
  anger: number;
  positive: string[];
  negative: string[];
}

/** Splits a fused Chinese word like 不满意 into 不 + 满意 when only its rest is scored. */
function splitFusedNegation(word: string): string[] {
  if (word.length < 2 || zhLexicon[word] !== undefined) return [word];
  const head = word[0]!;
  const rest = word.slice(1);
  if (negatorPrefixesZh.includes(head) && zhLexicon[rest] !== undefined) return [head, rest];
  return [word];
}

/** Rejoins a lexicon word jieba split in two (无语 → 无 + 语). */
function joinSplitWords(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const pair = words[i]! + (words[i + 1] ?? '');
    if (i + 1 < words.length && zhLexicon[pair] !== undefined && zhLexicon[words[i]!] === undefined) {
      out.push(pair);
      i++;
    } else out.push(words[i]!);
  }
  return out;
}

function tokensOf(sentence: string, chinese: boolean): string[] {
  const tokens: string[] = [];
  for (const clause of sentence.split(/[,;:，；：、~]+/u)) {
    const words = wordsOfFolded(clause);
    if (!words.length) continue;
    if (tokens.length) tokens.push(boundary);
    for (const w of chinese ? joinSplitWords(words) : words)
      tokens.push(...(chinese ? splitFusedNegation(w) : [w]));
  }
  return tokens;
}

/** score / sqrt(score² + α), as VADER squashes, so a few strong words approach ±1. */
function squash(score: number, alpha = 12): number {
  return score / Math.sqrt(score * score + alpha);
}

/** Sentences with the punctuation that ends them (a question mark tells a question). */
function sentencesOf(folded: string): { text: string; terminator: string }[] {
  return [...folded.matchAll(/([^.!?。！？\n…]+)([.!?。！？\n…]*)/gu)].map((m) => ({
    text: m[1]!,
    terminator: m[2]!,
  }));
}

export function segmentSentiment(text: string): SegmentSentiment {
  register();
  // The writer's own words: quotations are someone else's.
  const own = withoutQuotations(text);
  const folded = foldText(withoutPoliteness(own));
  const chinese = hasChinese(folded);
  const language = chinese ? 'hl-zh' : 'hl-en';
  let score = 0;
  let worst = 0;
  let feelings = 0;
  const positive: string[] = [];
  const negative: string[] = [];
  const allTokens: string[] = [];
  const analyse = (part: string) => {
    const tokens = tokensOf(part, chinese);
    // sentiment's tokenizer splits on spaces after dropping ASCII punctuation; our tokens have
    // none left but the boundary, which it keeps.
    return { tokens, result: analyser.analyze(tokens.join(' '), { language }) };
  };
  for (const sentence of sentencesOf(folded)) {
    // Valence: what the sentence says, every word counted once.
    const { tokens, result } = analyse(sentence.text);
    if (!tokens.length) continue;
    allTokens.push(...tokens);
    score += result.score;
    positive.push(...result.positive);
    negative.push(...result.negative);
    // Upset: how the speaker sounds, the turn of a contrast weighing more than the concession
    // and a plain question's negative words less.
    const parts = contrastParts(sentence.text, chinese);
    let upset = 0;
    if (parts.length === 1 && parts[0]!.weight === 1) {
      upset = result.score;
      feelings += feelingsIn(result.negative);
    } else
      for (const part of parts) {
        const r = analyse(part.text).result;
        upset += r.score * part.weight;
        feelings += feelingsIn(r.negative);
      }
    if (upset < 0 && isPlainQuestion(sentence.text, sentence.terminator, chinese)) upset *= questionWeight;
    worst = Math.min(worst, squash(upset, 6));
  }
  const faces = emoticonsOf(own);
  if (faces.score) {
    score += faces.score;
    worst = Math.min(worst, squash(faces.score, 6));
  }
  const valence = squash(score);
  const intensity = intensityOf(own, allTokens, faces.angry);
  // Upset = the worst sentence's negativity, raised by how intensely it is said; intensity
  // alone (shouting a neutral request) counts for less; frustration and a named feeling are
  // upset in themselves.
  const negativity = Math.max(0, -worst);
  let anger = negativity * (0.8 + 0.4 * intensity.level) + 0.35 * intensity.level * (1 - negativity);
  if (intensity.frustration || feelings + faces.upset > 0)
    anger = Math.max(anger, 0.6 + 0.3 * negativity + 0.2 * intensity.level);
  anger = Math.min(1, anger);
  return { score, valence, worst, anger, positive, negative };
}
