// Evaluation measures for the QA benchmark: clustering agreement (NMI, purity), F1 and
// macro-F1, Spearman rank correlation. Plain definitions, kept apart so they are unit-tested.

function counts<T>(values: readonly T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function entropy(m: Map<unknown, number>, n: number): number {
  let h = 0;
  for (const c of m.values()) h -= (c / n) * Math.log(c / n);
  return h;
}

/** Normalised mutual information, arithmetic-mean normalisation (as scikit-learn's default). */
export function nmi(clusters: readonly (string | number)[], labels: readonly string[]): number {
  const n = clusters.length;
  if (!n) return 0;
  const joint = counts(clusters.map((c, i) => `${c}\u0000${labels[i]}`));
  const ca = counts(clusters);
  const cb = counts(labels);
  let mi = 0;
  for (const [key, c] of joint) {
    const [a, b] = key.split('\u0000') as [string, string];
    const pa = ca.get(typeof clusters[0] === 'number' ? Number(a) : a)!;
    mi += (c / n) * Math.log((c * n) / (pa * cb.get(b)!));
  }
  const denominator = (entropy(ca, n) + entropy(cb, n)) / 2;
  return denominator > 0 ? mi / denominator : 1;
}

/** Share of items whose cluster's most common label is their own. */
export function purity(clusters: readonly (string | number)[], labels: readonly string[]): number {
  const byCluster = new Map<string | number, string[]>();
  clusters.forEach((c, i) => byCluster.set(c, [...(byCluster.get(c) ?? []), labels[i]!]));
  let right = 0;
  for (const members of byCluster.values()) right += Math.max(...counts(members).values());
  return clusters.length ? right / clusters.length : 0;
}

export function f1(
  predicted: readonly boolean[],
  actual: readonly boolean[],
): { f1: number; precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((p, i) => {
    if (p && actual[i]) tp++;
    else if (p) fp++;
    else if (actual[i]) fn++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return { f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, precision, recall };
}

export function macroF1(
  predicted: readonly string[],
  actual: readonly string[],
  classes: readonly string[],
): number {
  const scores = classes.map(
    (c) =>
      f1(
        predicted.map((p) => p === c),
        actual.map((a) => a === c),
      ).f1,
  );
  return scores.reduce((a, b) => a + b, 0) / classes.length;
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da && db ? num / Math.sqrt(da * db) : 0;
}
