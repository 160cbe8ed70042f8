// TF-IDF over the terms of many calls: sparse, L2-normalised vectors so cosine similarity is a
// dot product. Hand-written because it is a few lines over our own term lists and the clustering
// needs the sparse vectors directly (the npm TF-IDF packages tokenise English only).

/** Sparse vector: term ids ascending, with weights. */
export interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

export interface TfIdfModel {
  vocabulary: string[];
  idf: Float64Array;
  vectors: SparseVector[];
}

export interface TfIdfOptions {
  /** Ignore terms in fewer documents than this (typos, names). */
  minDocs: number;
  /** Ignore terms in more than this share of documents. Default 1 (keep all): an issue most
   * calls are about (an outage) must keep its words; IDF already weighs common words down. */
  maxDocShare: number;
}

export function buildTfIdf(documents: string[][], options: Partial<TfIdfOptions> = {}): TfIdfModel {
  const minDocs = options.minDocs ?? (documents.length >= 50 ? 2 : 1);
  const maxDocShare = options.maxDocShare ?? 1;
  const df = new Map<string, number>();
  for (const doc of documents) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const vocabulary = [...df.entries()]
    .filter(([, n]) => n >= minDocs && n <= Math.max(1, maxDocShare * documents.length))
    .map(([t]) => t)
    .sort();
  const idOf = new Map(vocabulary.map((t, i) => [t, i]));
  const idf = Float64Array.from(vocabulary, (t) => Math.log((1 + documents.length) / (1 + df.get(t)!)) + 1);
  const vectors = documents.map((doc) => vectorOf(doc, idOf, idf));
  return { vocabulary, idf, vectors };
}

function vectorOf(doc: string[], idOf: Map<string, number>, idf: Float64Array): SparseVector {
  const counts = new Map<number, number>();
  for (const term of doc) {
    const id = idOf.get(term);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const ids = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  // Sublinear tf: a word said ten times is not ten times the topic.
  const weights = Float64Array.from(ids, (id) => (1 + Math.log(counts.get(id)!)) * idf[id]!);
  const norm = Math.hypot(...weights);
  if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
  return { ids, weights };
}

/** Dot product of a sparse vector with a dense one. */
export function dot(v: SparseVector, dense: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < v.ids.length; i++) sum += v.weights[i]! * dense[v.ids[i]!]!;
  return sum;
}

/** The highest-weighted terms of a dense vector. */
export function topTerms(dense: Float64Array, vocabulary: string[], n: number): string[] {
  return [...dense.keys()]
    .filter((i) => dense[i]! > 0)
    .sort((a, b) => dense[b]! - dense[a]!)
    .slice(0, n)
    .map((i) => vocabulary[i]!);
}
