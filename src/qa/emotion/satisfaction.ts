// How satisfied the caller sounds over the whole call: negative / neutral / positive. Half the
// mean of the caller's valences, half how they sound at the end (a complaint that ends in thanks
// is a satisfied caller), less any anger on the way. The weights and thresholds were tuned on
// the dev slices of the project's corpora in both languages at once (the same values serve
// Chinese and English; docs/BENCHMARKS.md), never on single records.

export type Satisfaction = 'negative' | 'neutral' | 'positive';

export const satisfactionThresholds = { negativeAtOrBelow: -0.3, positiveAtOrAbove: 0.3 };

/** -1..1 from the caller's segments in order. */
export function satisfactionScore(caller: readonly { valence: number; anger: number }[]): number {
  if (!caller.length) return 0;
  const mean = caller.reduce((sum, s) => sum + s.valence, 0) / caller.length;
  const last = caller[caller.length - 1]!.valence;
  const maxAnger = Math.max(...caller.map((s) => s.anger));
  return 0.5 * mean + 0.5 * last - 0.2 * maxAnger;
}

export function satisfactionOf(caller: readonly { valence: number; anger: number }[]): Satisfaction {
  const score = satisfactionScore(caller);
  if (score <= satisfactionThresholds.negativeAtOrBelow) return 'negative';
  if (score >= satisfactionThresholds.positiveAtOrAbove) return 'positive';
  return 'neutral';
}
