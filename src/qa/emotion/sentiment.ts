// Sentiment of one segment, in either language, with the `sentiment` package: AFINN-165 (plus
// Hotline's supplement) for English, Hotline's own lexicon for Chinese, both registered as
// languages of the package with one scoring strategy that handles negation ("not happy",
// "不满意") and degree words ("very", "非常", "太"). Chinese is segmented with jieba and joined
// with spaces first (FACTS.md). Clause punctuation becomes a boundary token `|` so a negator in
// one clause never flips a word in the next.
import { createRequire } from 'node:module';
import Sentiment from 'sentiment';
import { foldText, hasChinese } from '../text/normalise.js';
import { wordsOfFolded } from '../text/tokens.js';
import { degreeOf, isNegator, negatorPrefixesZh } from '../text/negation.js';
import { enAngerWords, enSupplement } from './lexicon-en.js';
import { zhAngerWords, zhLexicon } from './lexicon-zh.js';

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

function tokensOf(sentence: string, chinese: boolean): string[] {
  const tokens: string[] = [];
  for (const clause of sentence.split(/[,;:，；：、~]+/u)) {
    const words = wordsOfFolded(clause);
    if (!words.length) continue;
    if (tokens.length) tokens.push(boundary);
    for (const w of words) tokens.push(...(chinese ? splitFusedNegation(w) : [w]));
  }
  return tokens;
}

/** score / sqrt(score² + α), as VADER squashes, so a few strong words approach ±1. */
function squash(score: number, alpha = 12): number {
  return score / Math.sqrt(score * score + alpha);
}

// Frustration said without a sentiment word: rhetorical questions and exasperation.
const frustrationEn =
  /\b(why (haven't|hasn't|can't|won't|isn't|doesn't|don't|do i have to|is it so)|what in the world|what the (hell|heck)|can'?t believe|how (can|could) (they|you)|how (am i|are you|are we) suppose[d]? to|seriously\?|are you kidding|sick (and tired )?of|fed up|waste of (my )?time|for the (last|third|fourth|\d+(st|nd|rd|th)) time|still (not|no|hasn't|haven't)|never again|going in circles|(this|that|it) is (crazy|insane|ridiculous|a joke|unacceptable)|not (good enough|acceptable)|isn't much help|no help at all|(the|your) worst)\b/i;
const frustrationZh =
  /(凭什么|什么意思|搞什么|怎么回事|有没有搞错|到底(要|还|是|怎么)|还要等多久|等了.{0,4}(天|小时|个月)|说好的|一直(没|不)|几次了|多少次|又是|还是没|再也不|没有下文|不给个说法|给个说法|什么破|什么鬼|什么玩意|太过分|耍人|忽悠人|骗人)/;

const acronyms = /^(USA|UK|API|ATM|SMS|PIN|ID|FAQ|URL|TSA|PNR|SIM|USB|GPS|VIP|CEO|BA|AA|LHR|JFK|LAX|OK)$/;

/** 0..1: signs of feeling beyond the words: !!!, ??, SHOUTING, anger words, exasperation. */
function intensityOf(text: string, tokens: string[]): number {
  const angerWords = tokens.filter((t) => zhAngerWords.has(t) || enAngerWords.has(t)).length;
  const exclamations = (text.match(/[!！]+/g) ?? []).length;
  const doubled = (text.match(/[?？!！]{2,}/g) ?? []).length;
  const shouting = (text.match(/\b[A-Z]{3,}\b/g) ?? []).filter((w) => !acronyms.test(w)).length;
  const frustration = frustrationEn.test(text) || frustrationZh.test(text) ? 1 : 0;
  const sadFace = /(:\(|:'\(|☹|😠|😡|🤬|😤|\[怒\]|\[抓狂\]|\[哼\]|\[鄙视\]|\[衰\]|\[泪\])/u.test(text)
    ? 1
    : 0;
  return Math.min(
    1,
    0.25 * Math.min(2, angerWords) +
      0.12 * Math.min(2, exclamations) +
      0.15 * Math.min(2, doubled) +
      0.12 * Math.min(3, shouting) +
      0.3 * frustration +
      0.2 * sadFace,
  );
}

export function segmentSentiment(text: string): SegmentSentiment {
  register();
  const folded = foldText(text);
  const chinese = hasChinese(folded);
  const language = chinese ? 'hl-zh' : 'hl-en';
  let score = 0;
  let worst = 0;
  const positive: string[] = [];
  const negative: string[] = [];
  const allTokens: string[] = [];
  for (const sentence of folded.split(/[.!?。！？\n…]+/u)) {
    const tokens = tokensOf(sentence, chinese);
    if (!tokens.length) continue;
    allTokens.push(...tokens);
    // sentiment's tokenizer splits on spaces after dropping ASCII punctuation; our tokens have
    // none left but the boundary, which it keeps.
    const result = analyser.analyze(tokens.join(' '), { language });
    score += result.score;
    worst = Math.min(worst, squash(result.score, 6));
    positive.push(...result.positive);
    negative.push(...result.negative);
  }
  const valence = squash(score);
  const intensity = intensityOf(text, allTokens);
  // Upset = the worst sentence's negativity, raised by how intensely it is said; intensity
  // alone (shouting a neutral request) counts for less.
  const negativity = Math.max(0, -worst);
  const anger = Math.min(1, negativity * (0.75 + 0.5 * intensity) + 0.45 * intensity * (1 - negativity));
  return { score, valence, worst, anger, positive, negative };
}
