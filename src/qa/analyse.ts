// Analyses one call's whole transcript: PII redacted first (when configured) so nothing after it
// can leak a number, then emotion, then every rule, then the call's score. Pure: no I/O, so the
// same function serves the post-call worker, the import CLI, the API and the benchmark.
import { PreparedCall } from './call.js';
import { analyseEmotion, type CallEmotion, type EmotionOptions } from './emotion/index.js';
import { redact, type PiiKind } from './pii/redact.js';
import type { RuleSet } from './rules/load.js';
import { scoreOf } from './score/scorecard.js';
import type { CallTranscript, RuleOutcome } from './types.js';

export interface AnalyseOptions {
  rules: RuleSet;
  emotion?: Partial<EmotionOptions>;
  /** Replace card, phone, ID numbers and e-mail addresses before anything is kept. */
  redact?: boolean;
}

export interface AnalysedSegment {
  seq: number;
  party: 'caller' | 'agent';
  startMs: number;
  endMs: number;
  text: string;
  valence: number;
  anger: number;
}

export interface CallAnalysis {
  callId: string;
  agent: string | null;
  queue: string | null;
  language: string | null;
  startedAt: string;
  segments: AnalysedSegment[];
  rules: RuleOutcome[];
  compliance: { applicable: number; passed: number; rate: number | null };
  /** 0..100 from the weighted rules, null when no rule applied. */
  score: number | null;
  emotion: Omit<CallEmotion, 'segments'>;
  pii: Partial<Record<PiiKind, number>>;
}

/** The transcript with PII replaced in every segment, and what was found. */
export function redactTranscript(t: CallTranscript): {
  transcript: CallTranscript;
  found: Partial<Record<PiiKind, number>>;
} {
  const found: Partial<Record<PiiKind, number>> = {};
  const segments = t.segments.map((s) => {
    const r = redact(s.text);
    for (const f of r.findings) found[f.kind] = (found[f.kind] ?? 0) + 1;
    return r.findings.length ? { ...s, text: r.text } : s;
  });
  return { transcript: { ...t, segments }, found };
}

export function analyseCall(input: CallTranscript, options: AnalyseOptions): CallAnalysis {
  const { transcript, found } = options.redact ? redactTranscript(input) : { transcript: input, found: {} };
  const call = new PreparedCall(transcript, options.rules.synonyms);
  const emotion = analyseEmotion(call, options.emotion);
  const rules = options.rules.rules.map((rule) => rule.evaluate({ call, emotion }));
  const applicable = rules.filter((r) => r.status !== 'not-applicable');
  const passed = applicable.filter((r) => r.status === 'pass').length;
  const { segments: segmentEmotion, ...callEmotion } = emotion;
  return {
    callId: transcript.callId,
    agent: transcript.agent ?? null,
    queue: transcript.queue ?? null,
    language: transcript.language ?? null,
    startedAt: (transcript.startedAt ?? new Date()).toISOString(),
    segments: call.segments.map((s, i) => ({
      seq: s.seq,
      party: s.party,
      startMs: s.startMs,
      endMs: s.endMs,
      text: s.text,
      valence: segmentEmotion[i]!.valence,
      anger: segmentEmotion[i]!.anger,
    })),
    rules,
    compliance: {
      applicable: applicable.length,
      passed,
      rate: applicable.length ? passed / applicable.length : null,
    },
    score: scoreOf(rules),
    emotion: callEmotion,
    pii: found,
  };
}
