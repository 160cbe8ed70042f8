// Prompt sequences for `digits:`, `characters:` and `number:` media, following the grammars of
// Asterisk's say.c so the same prompt sets (digits/*, letters/*) sound the same on both servers.
// Written from the grammar, not from the C source.

/** digits:12#* → digits/1 digits/2 digits/pound digits/star (other characters are skipped). */
export function sayDigits(text: string): string[] {
  const out: string[] = [];
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') out.push(`digits/${ch}`);
    else if (ch === '*') out.push('digits/star');
    else if (ch === '#') out.push('digits/pound');
    else if (ch === '-') out.push('digits/minus');
  }
  return out;
}

const CHARACTER_PROMPTS: Record<string, string> = {
  '*': 'digits/star',
  '#': 'digits/pound',
  '!': 'letters/exclaimation-point',
  '@': 'letters/at',
  $: 'letters/dollar',
  '-': 'letters/dash',
  '.': 'letters/dot',
  '=': 'letters/equals',
  '+': 'letters/plus',
  '/': 'letters/slash',
  ' ': 'letters/space',
};

/** characters:ab1 → letters/a letters/b digits/1. */
export function sayCharacters(text: string): string[] {
  const out: string[] = [];
  for (const raw of text) {
    const ch = raw.toLowerCase();
    if (ch >= 'a' && ch <= 'z') out.push(`letters/${ch}`);
    else if (ch >= '0' && ch <= '9') out.push(`digits/${ch}`);
    else if (CHARACTER_PROMPTS[ch]) out.push(CHARACTER_PROMPTS[ch]);
  }
  return out;
}

/** Thrown for numbers the grammar cannot say (Asterisk fails the playback). */
export class NumberTooBig extends Error {
  readonly code = 'NUMBER_TOO_BIG';
  constructor(n: number) {
    super(`${n} is too big to say`);
    this.name = 'NumberTooBig';
  }
}

/** English: 1234 → 1 thousand 2 hundred 30 4 (no "and"), negative numbers start with "minus". */
export function sayNumberEnglish(n: number): string[] {
  if (n === 0) return ['digits/0'];
  const out: string[] = [];
  let num = n;
  if (num < 0) {
    out.push('digits/minus');
    num = -num;
  }
  if (num >= 1_000_000_000) throw new NumberTooBig(n);
  if (num >= 1_000_000) {
    out.push(...sayNumberEnglish(Math.floor(num / 1_000_000)), 'digits/million');
    num %= 1_000_000;
  }
  if (num >= 1000) {
    out.push(...sayNumberEnglish(Math.floor(num / 1000)), 'digits/thousand');
    num %= 1000;
  }
  if (num >= 100) {
    out.push(`digits/${Math.floor(num / 100)}`, 'digits/hundred');
    num %= 100;
  }
  if (num >= 20) {
    out.push(`digits/${Math.floor(num / 10) * 10}`);
    num %= 10;
  }
  if (num > 0) out.push(`digits/${num}`);
  return out;
}

/** One group of up to four digits in Mandarin: 千, 百, 十, units, with one 零 for inner zeros. */
function mandarinGroup(group: number): string[] {
  const out: string[] = [];
  let started = false;
  let zero = false;
  for (const place of [1000, 100, 10, 1]) {
    const digit = Math.floor(group / place) % 10;
    if (digit === 0) {
      if (started) zero = true;
      continue;
    }
    if (zero) out.push('digits/0');
    zero = false;
    started = true;
    if (place === 1000) out.push(`digits/${digit}`, 'digits/thousand');
    else if (place === 100) out.push(`digits/${digit}`, 'digits/hundred');
    else if (place === 10) out.push(`digits/${digit * 10}`);
    else out.push(`digits/${digit}`);
  }
  return out;
}

/**
 * Mandarin: groups of four digits joined by 万 (digits/wan) and 亿 (digits/yi), with one 零
 * (digits/0) for skipped places: 10005 → 1 wan 0 5; 15 → 10 5 (十五); 105 → 1 hundred 0 5.
 */
export function sayNumberMandarin(n: number): string[] {
  if (n === 0) return ['digits/0'];
  if (n < 0) return ['digits/minus', ...sayNumberMandarin(-n)];
  if (n >= 1_000_000_000) throw new NumberTooBig(n);
  const groups: [number, string | null][] = [
    [Math.floor(n / 100_000_000), 'digits/yi'],
    [Math.floor((n % 100_000_000) / 10_000), 'digits/wan'],
    [n % 10_000, null],
  ];
  const out: string[] = [];
  let skipped = false;
  for (const [value, unit] of groups) {
    if (value === 0) {
      if (out.length) skipped = true;
      continue;
    }
    if (out.length && (skipped || value < 1000)) out.push('digits/0');
    skipped = false;
    out.push(...mandarinGroup(value));
    if (unit) out.push(unit);
  }
  return out;
}

/** The grammar for a language: Mandarin for zh*, English otherwise (as Asterisk defaults). */
export function sayNumber(n: number, language: string): string[] {
  return /^zh/i.test(language) ? sayNumberMandarin(n) : sayNumberEnglish(n);
}

/** Asterisk reads number: with sscanf("%d"): leading blanks, a sign, digits; null if none. */
export function parseSayNumber(text: string): number | null {
  const m = /^\s*([+-]?\d+)/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return Math.max(-2147483648, Math.min(2147483647, n));
}
