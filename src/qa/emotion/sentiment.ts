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

// Frustration said without a sentiment word: rhetorical questions, exasperation, and the
// complaints of service that does not work (it does not help, it keeps asking, the third time).
const frustrationEn = new RegExp(
  [
    "why (haven't|hasn't|won't) you|why do i (have|need) to|why is it so (hard|difficult)",
    'what in the world|what the (hell|heck)|can.?t believe',
    'how (am i|are you|are we|is one) suppose[d]? to|seriously\\?|are you kidding|sick (and tired )?of|fed up',
    'waste of (my )?time|for the (last|third|fourth|fifth|\\d+(st|nd|rd|th)) time|(third|fourth|fifth|\\d+(st|nd|rd|th)) time',
    'never again|going in circles|(getting|so|really) tired of',
    '(this|that|it) is (crazy|insane|ridiculous|a joke|unacceptable)|not (good enough|acceptable)',
    "(isn't|is not|was not|wasn't|of) (much |any )?help|no help( at all)?|(did|does|do)(n't| not) help",
    "(not|isn't|aren't) (answering|responding)",
    "(don't|do not) like (your|this|the)|(really )?doubt (you|they|it)|not happy|(the|your) worst|i give up",
  ]
    .map((p) => `\\b(${p})\\b`)
    .join('|') + '|\\?!|!\\?',
  'i',
);
const frustrationZh =
  /(凭什么|什么意思|搞什么|怎么回事|有没有搞错|到底(要|还|是|怎么)|还要等多久|等了.{0,4}(天|小时|个月)|说好的|一直(没|不)|几次了|多少次|又是|还是没|还是不行|再也不|没有下文|不给个说法|给个说法|什么破|什么鬼|什么玩意|太过分|耍人|忽悠人|骗人|没人管|没人理|第[二三四五六七八九十几]次|不解决|解决不了)/;

const acronyms = /^(USA|UK|API|ATM|SMS|PIN|ID|FAQ|URL|TSA|PNR|SIM|USB|GPS|VIP|CEO|BA|AA|LHR|JFK|LAX|OK)$/;

interface Intensity {
  /** 0..1: !!!, ??, SHOUTING, anger words, angry emoticons. */
  level: number;
  /** Exasperation or a complaint about service that does not work. */
  frustration: boolean;
}

function intensityOf(text: string, tokens: string[]): Intensity {
  const angerWords = tokens.filter((t) => zhAngerWords.has(t) || enAngerWords.has(t)).length;
  const exclamations = (text.match(/[!！]+/g) ?? []).length;
  const doubled = (text.match(/[?？!！]{2,}/g) ?? []).length;
  const shouting = (text.match(/\b[A-Z]{3,}\b/g) ?? []).filter((w) => !acronyms.test(w)).length;
  const sadFace = /(:\(|:'\(|☹|😠|😡|🤬|😤|\[怒\]|\[抓狂\]|\[哼\]|\[鄙视\]|\[衰\]|\[泪\])/u.test(text)
    ? 1
    : 0;
  const level = Math.min(
    1,
    0.25 * Math.min(2, angerWords) +
      0.12 * Math.min(2, exclamations) +
      0.15 * Math.min(2, doubled) +
      0.12 * Math.min(3, shouting) +
      0.2 * sadFace,
  );
  return { level, frustration: frustrationEn.test(text) || frustrationZh.test(text) };
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
  // alone (shouting a neutral request) counts for less; frustration is upset in itself.
  const negativity = Math.max(0, -worst);
  let anger = negativity * (0.8 + 0.4 * intensity.level) + 0.35 * intensity.level * (1 - negativity);
  if (intensity.frustration) anger = Math.max(anger, 0.6 + 0.3 * negativity + 0.2 * intensity.level);
  anger = Math.min(1, anger);
  return { score, valence, worst, anger, positive, negative };
}
