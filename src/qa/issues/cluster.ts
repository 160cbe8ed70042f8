// Spherical k-means over TF-IDF vectors: calls about the same issue share their distinctive
// words. Hand-written because the npm k-means packages (ml-kmeans) want dense vectors, and a
// vocabulary of thousands of terms over thousands of calls is sparse. Seeded k-means++ so the
// same calls give the same issues.
import { dot, type SparseVector } from './tfidf.js';

export interface Clustering {
  /** Cluster of each vector (-1 for an empty vector). */
  assignment: Int32Array;
  centroids: Float64Array[];
}

/** A small seeded PRNG (mulberry32): the same input gives the same clusters. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function toDense(v: SparseVector, dims: number): Float64Array {
  const d = new Float64Array(dims);
  for (let i = 0; i < v.ids.length; i++) d[v.ids[i]!] = v.weights[i]!;
  return d;
}

function normalise(d: Float64Array): void {
  let norm = 0;
  for (const x of d) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < d.length; i++) d[i]! /= norm;
}

/** k-means++ seeding with cosine distance (1 - similarity). */
function seedCentroids(vectors: SparseVector[], k: number, dims: number, rand: () => number): Float64Array[] {
  const usable = vectors.map((v, i) => (v.ids.length ? i : -1)).filter((i) => i >= 0);
  const centroids = [toDense(vectors[usable[Math.floor(rand() * usable.length)]!]!, dims)];
  const distance = new Float64Array(vectors.length).fill(1);
  while (centroids.length < k) {
    const last = centroids[centroids.length - 1]!;
    let total = 0;
    for (const i of usable) {
      distance[i] = Math.min(distance[i]!, Math.max(0, 1 - dot(vectors[i]!, last)));
      total += distance[i] ** 2;
    }
    if (total === 0) break;
    let pick = rand() * total;
    let chosen = usable[usable.length - 1]!;
    for (const i of usable) {
      pick -= distance[i]! ** 2;
      if (pick <= 0) {
        chosen = i;
        break;
      }
    }
    centroids.push(toDense(vectors[chosen]!, dims));
  }
  return centroids;
}

/** The best of `restarts` seeded runs: the one whose calls sit closest to their centres. */
export function sphericalKMeans(
  vectors: SparseVector[],
  dims: number,
  k: number,
  options: { seed?: number; iterations?: number; restarts?: number } = {},
): Clustering {
  let best: Clustering | null = null;
  let bestCohesion = -Infinity;
  for (let r = 0; r < (options.restarts ?? 1); r++) {
    const run = kMeansOnce(vectors, dims, k, (options.seed ?? 1) + r * 7919, options.iterations ?? 30);
    let cohesion = 0;
    vectors.forEach((v, i) => {
      const c = run.centroids[run.assignment[i]!];
      if (c) cohesion += dot(v, c);
    });
    if (cohesion > bestCohesion) {
      bestCohesion = cohesion;
      best = run;
    }
  }
  return best!;
}

function kMeansOnce(
  vectors: SparseVector[],
  dims: number,
  k: number,
  seed: number,
  iterations: number,
): Clustering {
  const rand = random(seed);
  const assignment = new Int32Array(vectors.length).fill(-1);
  const nonEmpty = vectors.filter((v) => v.ids.length).length;
  if (!nonEmpty || k < 1) return { assignment, centroids: [] };
  let centroids = seedCentroids(vectors, Math.min(k, nonEmpty), dims, rand);
  for (let iter = 0; iter < iterations; iter++) {
    let moved = 0;
    vectors.forEach((v, i) => {
      if (!v.ids.length) return;
      let best = 0;
      let bestSim = -Infinity;
      centroids.forEach((c, j) => {
        const sim = dot(v, c);
        if (sim > bestSim) {
          bestSim = sim;
          best = j;
        }
      });
      if (assignment[i] !== best) moved++;
      assignment[i] = best;
    });
    const next = centroids.map(() => new Float64Array(dims));
    vectors.forEach((v, i) => {
      const c = next[assignment[i]!];
      if (!c) return;
      for (let t = 0; t < v.ids.length; t++) c[v.ids[t]!]! += v.weights[t]!;
    });
    // An emptied cluster keeps its old centroid rather than vanishing mid-run.
    centroids = next.map((c, j) => {
      if (c.every((x) => x === 0)) return centroids[j]!;
      normalise(c);
      return c;
    });
    if (moved === 0) break;
  }
  return { assignment, centroids };
}
