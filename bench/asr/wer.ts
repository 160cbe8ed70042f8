// Word error rate: (substitutions + deletions + insertions) / reference words, on words
// normalised the same way for every system (lower case, no punctuation, digits as words,
// pocketsphinx's spelled-out letters kept as letters).
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\(\d+\)/g, ' ')
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((w) => (/^\d+$/.test(w) ? [...w].map((d) => DIGITS[Number(d)]!) : [w.replace(/^'+|'+$/g, '')]))
    .filter(Boolean);
}

/** Word-level edit distance. */
export function wordErrors(reference: string[], hypothesis: string[]): number {
  let prev = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const row = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const same = reference[i - 1] === hypothesis[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + same));
    }
    prev = row;
  }
  return prev[hypothesis.length]!;
}

export interface WerTally {
  errors: number;
  words: number;
}

export function tally(pairs: { reference: string; hypothesis: string }[]): WerTally {
  let errors = 0;
  let words = 0;
  for (const { reference, hypothesis } of pairs) {
    const ref = normaliseWords(reference);
    errors += wordErrors(ref, normaliseWords(hypothesis));
    words += ref.length;
  }
  return { errors, words };
}

export const werOf = (t: WerTally): number => (t.words ? t.errors / t.words : 0);

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
