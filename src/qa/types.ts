// The shapes QA reads and writes. A call's transcript is what transcription produced live or
// what was imported as JSON; everything QA says about a call refers back to its segments.
import type { Party } from '../transcription/index.js';

export type { Party };

/** One utterance of a call, as QA analyses it (a final TranscriptSegment, or an imported one). */
export interface QaSegment {
  /** Order within the call (0-based, both parties together). */
  seq: number;
  party: Party;
  /** Milliseconds from the start of the call. */
  startMs: number;
  endMs: number;
  text: string;
  /** BCP 47 tag as recognised or imported; guessed from the text when absent. */
  language?: string;
  /** Who spoke in the source's words, when more specific than the party (商家, courier, ...). */
  speaker?: string;
}

export interface CallTranscript {
  callId: string;
  /** When the call started (defaults to when it was analysed). */
  startedAt?: Date;
  agent?: string | null;
  queue?: string | null;
  language?: string | null;
  segments: QaSegment[];
}

/** Where a finding is in the call: the segment and its time. */
export interface Evidence {
  seq: number;
  party: Party;
  atMs: number;
  text: string;
  /** The rule phrase that matched and how closely (1 = word for word). */
  phrase?: string;
  matched?: string;
  similarity?: number;
  note?: string;
}

export type RuleStatus = 'pass' | 'fail' | 'not-applicable';

export interface RuleOutcome {
  ruleId: string;
  kind: string;
  title: string;
  weight: number;
  status: RuleStatus;
  /** Why, in a sentence an analyst can read. */
  reason: string;
  evidence: Evidence[];
}
