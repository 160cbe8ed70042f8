// Emotion over a call: sentiment of every segment, the caller's curve (smoothed so one word
// does not make a swing), swings from calm to angry, and the agent's negative tone.
import type { PreparedCall } from '../call.js';
import type { Evidence, Party } from '../types.js';
import { segmentSentiment } from './sentiment.js';
import { satisfactionOf, satisfactionScore, type Satisfaction } from './satisfaction.js';

export interface SegmentEmotion {
  seq: number;
  party: Party;
  atMs: number;
  score: number;
  valence: number;
  anger: number;
}

export interface CurvePoint {
  atMs: number;
  valence: number;
  /** Exponentially smoothed valence: the curve an analyst sees. */
  smoothed: number;
  anger: number;
}

export interface Swing {
  fromMs: number;
  toMs: number;
  from: number;
  to: number;
}

export interface CallEmotion {
  segments: SegmentEmotion[];
  caller: {
    curve: CurvePoint[];
    mean: number;
    min: number;
    maxAnger: number;
    /** The caller expressed negative emotion somewhere (a segment below the threshold). */
    negative: boolean;
    /** Calm, then angry later in the call. */
    swing: Swing | null;
    /** Angry at some point, calm again by the end. */
    recovered: boolean;
    satisfaction: Satisfaction;
    satisfactionScore: number;
  };
  agent: {
    mean: number;
    negativeShare: number;
    negativeTone: boolean;
    negativeSegments: Evidence[];
  };
}

export interface EmotionOptions {
  /** A caller segment with anger at or above this is angry (also the live alert threshold). */
  angerThreshold: number;
  /** A segment with anger at or above this expresses negative emotion (upset, not yet angry). */
  negativeAnger: number;
  /** Valence at or below which a segment counts as negative. */
  negativeValence: number;
  /** Smoothed valence at or above this is calm. */
  calmValence: number;
  /** Share of negative agent segments that makes the agent's tone negative. */
  agentNegativeShare: number;
}

export const defaultEmotionOptions: EmotionOptions = {
  angerThreshold: 0.65,
  negativeAnger: 0.6,
  negativeValence: -0.5,
  calmValence: -0.1,
  agentNegativeShare: 0.2,
};

const smoothing = 0.5;

export function analyseEmotion(call: PreparedCall, options: Partial<EmotionOptions> = {}): CallEmotion {
  const opts = { ...defaultEmotionOptions, ...options };
  const segments = call.segments.map((s): SegmentEmotion => {
    const { score, valence, anger } = segmentSentiment(s.text);
    return { seq: s.seq, party: s.party, atMs: s.startMs, score, valence, anger };
  });
  const callerSegments = segments.filter((s) => s.party === 'caller');
  const curve: CurvePoint[] = [];
  let smoothed: number | null = null;
  for (const s of callerSegments) {
    smoothed = smoothed === null ? s.valence : smoothing * s.valence + (1 - smoothing) * smoothed;
    curve.push({ atMs: s.atMs, valence: s.valence, smoothed, anger: s.anger });
  }
  const agentIndexes = call.indexesOf('agent');
  const agentNegative = agentIndexes.filter((i) => segments[i]!.valence <= opts.negativeValence);
  const negativeShare = agentIndexes.length ? agentNegative.length / agentIndexes.length : 0;
  const angry = (p: CurvePoint) => p.smoothed <= opts.negativeValence || p.anger >= opts.angerThreshold;
  const firstAngry = curve.findIndex(angry);
  return {
    segments,
    caller: {
      curve,
      mean: mean(callerSegments.map((s) => s.valence)),
      min: Math.min(0, ...callerSegments.map((s) => s.valence)),
      maxAnger: Math.max(0, ...callerSegments.map((s) => s.anger)),
      negative: callerSegments.some((s) => s.anger >= opts.negativeAnger),
      swing: swingIn(curve, opts, angry),
      recovered:
        firstAngry >= 0 &&
        curve.length > firstAngry + 1 &&
        curve[curve.length - 1]!.smoothed >= opts.calmValence,
      satisfaction: satisfactionOf(callerSegments),
      satisfactionScore: satisfactionScore(callerSegments),
    },
    agent: {
      mean: mean(agentIndexes.map((i) => segments[i]!.valence)),
      negativeShare,
      negativeTone: agentNegative.length > 0 && negativeShare >= opts.agentNegativeShare,
      negativeSegments: agentNegative.map((i) =>
        call.evidence(i, { note: `valence ${segments[i]!.valence.toFixed(2)}` }),
      ),
    },
  };
}

function swingIn(curve: CurvePoint[], opts: EmotionOptions, angry: (p: CurvePoint) => boolean): Swing | null {
  let calm: CurvePoint | null = null;
  for (const point of curve) {
    if (!calm && point.smoothed >= opts.calmValence && !angry(point)) calm = point;
    else if (calm && angry(point))
      return { fromMs: calm.atMs, toMs: point.atMs, from: calm.smoothed, to: point.smoothed };
  }
  return null;
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
