// Text normalisation shared by every analysis, so a phrase written one way in a rule matches the
// same words said (or recognised) another way: full-width forms become half-width (NFKC),
// traditional Chinese becomes simplified, case and punctuation stop mattering.
import * as OpenCC from 'opencc-js/t2cn';

// opencc-js: the maintained OpenCC port; conversion is a trie walk, a few µs per segment.
type Convert = (text: string) => string;
const toSimplified: Convert = (
  OpenCC as unknown as { Converter(o: { from: string; to: string }): Convert }
).Converter({
  from: 'hk',
  to: 'cn',
});

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/;
const cjkGlobal = /[\u3400-\u9fff\uf900-\ufaff]/g;

export type TextLanguage = 'zh' | 'en';

/** True when the text holds any Chinese character. */
export function hasChinese(text: string): boolean {
  return cjk.test(text);
}

/**
 * The analysis language of a segment: its BCP 47 tag when it names one we know (`cmn-Hans-CN`,
 * `zh-CN`, `yue`, `en-US`), else guessed from the share of Chinese characters.
 */
export function languageOf(text: string, tag?: string | null): TextLanguage {
  const t = (tag ?? '').toLowerCase();
  if (/^(zh|cmn|yue|wuu)\b/.test(t)) return 'zh';
  if (/^en\b/.test(t)) return 'en';
  const han = text.match(cjkGlobal)?.length ?? 0;
  if (han === 0) return 'en';
  const latin = text.match(/[a-z]/gi)?.length ?? 0;
  return han * 3 >= latin ? 'zh' : 'en';
}

/** NFKC (full-width → half-width, compatibility forms), simplified Chinese, lower case. */
export function foldText(text: string): string {
  const nfkc = text.normalize('NFKC');
  return (hasChinese(nfkc) ? toSimplified(nfkc) : nfkc).toLowerCase();
}

/** Keeps letters, digits and Chinese; everything else becomes one space. */
export function stripPunctuation(text: string): string {
  return text
    .replace(/[^\p{L}\p{N}'\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** foldText + stripPunctuation: the form phrases are compared in. */
export function normalise(text: string): string {
  return stripPunctuation(foldText(text));
}
