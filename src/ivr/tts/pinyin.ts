// Chinese text → tone-numbered pinyin for espeak-ng's `cmn-latn-pinyin` voice. Debian's `-v cmn`
// reads Hanzi as pinyin spelled out in English (FACTS.md), so Chinese is converted first:
// numbers to Chinese numerals (3 → 三, so they are read in Mandarin), then characters to pinyin
// with tone numbers (pinyin-pro), ü as v as espeak expects; Chinese punctuation becomes pauses.
import Nzh from 'nzh';
import { pinyin } from 'pinyin-pro';

const pauses: Record<string, string> = {
  '，': ',',
  '、': ',',
  '；': ',',
  '：': ',',
  '。': '.',
  '！': '.',
  '？': '?',
  '…': '.',
};

/**
 * Numbers up to 4 digits as Chinese numerals (第12位 → 第十二位); longer ones (phone, order and
 * account numbers) digit by digit, as IVRs read them.
 */
function numeralsOf(text: string): string {
  return text.replace(/\d+/g, (digits) => {
    if (digits.length > 4 || (digits.length > 1 && digits.startsWith('0'))) {
      return [...digits].map((d) => Nzh.cn.encodeS(Number(d))).join('');
    }
    return Nzh.cn.encodeS(Number(digits));
  });
}

export function hasChinese(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

export function toPinyin(text: string): string {
  const withNumerals = numeralsOf(text);
  const syllables = pinyin(withNumerals, { toneType: 'num', type: 'array', v: true, nonZh: 'consecutive' });
  return syllables
    .map((s) => [...s].map((c) => pauses[c] ?? c).join(''))
    .join(' ')
    .replace(/\s+([,.?])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
