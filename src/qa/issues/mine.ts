// Frequent issues: calls clustered by what callers say (TF-IDF terms, spherical k-means), each
// issue labelled by its top terms and a representative utterance, counted per day or week,
// with the issues rising fast flagged.
import type { CallTranscript } from '../types.js';
import { sphericalKMeans } from './cluster.js';
import { termsOf } from './terms.js';
import { buildTfIdf, topTerms, type SparseVector } from './tfidf.js';

export interface IssueCall {
  callId: string;
  startedAt: Date;
  /** What was said, in order (both parties: the agent's answer names the issue too). */
  utterances: { seq: number; text: string; party?: 'caller' | 'agent' }[];
}

export interface Issue {
  id: number;
  /** Top terms and the representative utterance, for people. */
  label: string;
  terms: string[];
  representative: { callId: string; seq: number; text: string } | null;
  calls: string[];
  count: number;
  share: number;
  trend: { period: string; count: number }[];
  /** Many more calls in the latest period than before: a new problem. */
  rising: boolean;
  growth: number;
}

export interface IssueReport {
  granularity: 'day' | 'week';
  periods: string[];
  issues: Issue[];
  /** Issue id of each call (calls with no usable words are left out). */
  assignment: Record<string, number>;
  /** Each call's own top terms. */
  callTerms: Record<string, string[]>;
}

export interface MineOptions {
  /** Number of issues; default about one per ten calls (see defaultClusterCount). */
  clusters?: number;
  granularity?: 'day' | 'week' | 'auto';
  seed?: number;
}

/** The caller's side of a transcript, as issue mining reads it. */
export function issueCallOf(t: CallTranscript, startedAt = t.startedAt ?? new Date()): IssueCall {
  return {
    callId: t.callId,
    startedAt,
    utterances: t.segments.map((s) => ({ seq: s.seq, text: s.text, party: s.party })),
  };
}

/**
 * About ten calls per issue (fine enough to tell 价保 from 退款), at least √calls so a small
 * batch still splits, capped for a readable list.
 */
export function defaultClusterCount(calls: number): number {
  return Math.max(1, Math.min(100, Math.round(Math.max(Math.sqrt(calls), calls / 10))));
}

export function mineIssues(calls: IssueCall[], options: MineOptions = {}): IssueReport {
  const documents = calls.map((c) => c.utterances.flatMap((u) => termsOf(u.text)));
  const model = buildTfIdf(documents);
  const k = options.clusters ?? defaultClusterCount(calls.length);
  const { assignment, centroids } = sphericalKMeans(model.vectors, model.vocabulary.length, k, {
    seed: options.seed ?? 1,
    restarts: 3,
  });
  const granularity = granularityOf(calls, options.granularity ?? 'auto');
  const periods = [...new Set(calls.map((c) => periodOf(c.startedAt, granularity)))].sort();
  const callTerms: Record<string, string[]> = {};
  calls.forEach((c, i) => {
    callTerms[c.callId] = termsOfVector(model.vectors[i]!, model.vocabulary, 5);
  });
  const result: Record<string, number> = {};
  const issues: Issue[] = centroids.map((centroid, id) => {
    const members = calls.map((_, i) => i).filter((i) => assignment[i] === id);
    for (const i of members) result[calls[i]!.callId] = id;
    const terms = topTerms(centroid, model.vocabulary, 5);
    const representative = representativeOf(
      members.map((i) => calls[i]!),
      centroid,
      model,
    );
    const trend = periods.map((period) => ({
      period,
      count: members.filter((i) => periodOf(calls[i]!.startedAt, granularity) === period).length,
    }));
    const { rising, growth } = risingOf(trend.map((t) => t.count));
    return {
      id,
      label: `${terms.slice(0, 3).join(' / ')}${representative ? ` — “${clip(representative.text, 60)}”` : ''}`,
      terms,
      representative,
      calls: members.map((i) => calls[i]!.callId),
      count: members.length,
      share: calls.length ? members.length / calls.length : 0,
      trend,
      rising,
      growth,
    };
  });
  const ordered = issues.filter((i) => i.count > 0).sort((a, b) => b.count - a.count);
  return { granularity, periods, issues: ordered, assignment: result, callTerms };
}

function termsOfVector(v: SparseVector, vocabulary: string[], n: number): string[] {
  return [...v.ids.keys()]
    .sort((a, b) => v.weights[b]! - v.weights[a]!)
    .slice(0, n)
    .map((i) => vocabulary[v.ids[i]!]!);
}

/** The caller utterance closest to the issue's centre: what a typical caller said. */
function representativeOf(
  members: IssueCall[],
  centroid: Float64Array,
  model: { vocabulary: string[]; idf: Float64Array },
) {
  const idOf = new Map(model.vocabulary.map((t, i) => [t, i]));
  let best: { callId: string; seq: number; text: string } | null = null;
  let bestScore = -Infinity;
  for (const call of members) {
    for (const u of call.utterances) {
      if (u.party === 'agent') continue;
      const terms = [...new Set(termsOf(u.text))].map((t) => idOf.get(t)).filter((id) => id !== undefined);
      if (!terms.length) continue;
      let score = 0;
      for (const id of terms) score += centroid[id]! * model.idf[id]!;
      // Prefer a whole sentence over a fragment, but not a speech.
      score /= Math.sqrt(Math.max(4, terms.length));
      if (score > bestScore) {
        bestScore = score;
        best = { callId: call.callId, seq: u.seq, text: u.text };
      }
    }
  }
  return best;
}

function granularityOf(calls: IssueCall[], wanted: 'day' | 'week' | 'auto'): 'day' | 'week' {
  if (wanted !== 'auto') return wanted;
  const times = calls.map((c) => c.startedAt.getTime());
  const span = times.length ? Math.max(...times) - Math.min(...times) : 0;
  return span > 21 * 86_400_000 ? 'week' : 'day';
}

/** `2026-11-24` for a day, the Monday of its ISO week for a week. */
export function periodOf(at: Date, granularity: 'day' | 'week'): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (granularity === 'week') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** Rising: the latest period has at least 3 calls and twice the earlier average (or it is new). */
function risingOf(counts: number[]): { rising: boolean; growth: number } {
  if (counts.length < 2) return { rising: false, growth: 0 };
  const last = counts[counts.length - 1]!;
  const earlier = counts.slice(0, -1);
  const before = earlier.reduce((a, b) => a + b, 0) / earlier.length;
  const growth = before > 0 ? last / before : last > 0 ? Infinity : 0;
  return { rising: last >= 3 && growth >= 2, growth: Number.isFinite(growth) ? growth : last };
}

function clip(text: string, n: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return [...t].length > n ? `${[...t].slice(0, n).join('')}…` : t;
}
