// Words of a segment in either language. Chinese is segmented with jieba (FACTS.md: it splits
// 账号, 发货 correctly where Intl.Segmenter falls back to characters); English is split on
// anything that is not a letter, digit or apostrophe.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { foldText, hasChinese } from './normalise.js';

let jieba: Jieba | undefined;

function segmenter(): Jieba {
  // Loading the dictionary takes a moment: once per process, on first use.
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const wordLike = /[\p{L}\p{N}]/u;

/** Lower-case words of already folded text (see foldText), punctuation dropped. */
export function wordsOfFolded(folded: string): string[] {
  if (hasChinese(folded)) {
    return segmenter()
      .cut(folded, true)
      .map((w) => w.trim())
      .filter((w) => w && wordLike.test(w));
  }
  return folded.split(/[^\p{L}\p{N}']+/u).filter((w) => w && wordLike.test(w));
}

/** Lower-case, simplified, half-width words of `text`, punctuation dropped. */
export function words(text: string): string[] {
  return wordsOfFolded(foldText(text));
}

/**
 * A light English stemmer for phrase matching (calling → call, thanks → thank): enough to let
 * a rule's wording and a caller's differ by inflection, not a linguistic stemmer.
 */
export function stemEn(word: string): string {
  if (word.length <= 3 || !/^[a-z']+$/.test(word)) return word;
  let w = word.replace(/'s$/, '');
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('es') && /(ss|sh|ch|x)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  // calling → call, stopped → stop
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss)$/.test(w)) w = w.slice(0, -1);
  return w;
}
