// A transcript made ready for analysis once: segments in time order, each segment's language and
// matching symbols computed on first use and shared by every rule.
import { languageOf, type TextLanguage } from './text/normalise.js';
import { prepareText, type PhraseMatch, type PreparedText, type Synonyms } from './text/match.js';
import type { CallTranscript, Evidence, Party, QaSegment } from './types.js';

/** Anything that finds a phrase hit in one segment of a call (a rule's PhraseSet). */
export interface PhraseFinder {
  findIn(call: PreparedCall, index: number): PhraseMatch | null;
}

export class PreparedCall {
  readonly segments: QaSegment[];
  private readonly preparedTexts: (PreparedText | undefined)[] = [];
  private readonly languages: (TextLanguage | undefined)[] = [];

  constructor(
    readonly transcript: CallTranscript,
    private readonly synonyms: Synonyms,
  ) {
    this.segments = [...transcript.segments].sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
  }

  get callId(): string {
    return this.transcript.callId;
  }

  prepared(i: number): PreparedText {
    return (this.preparedTexts[i] ??= prepareText(this.segments[i]!.text, this.synonyms));
  }

  language(i: number): TextLanguage {
    const s = this.segments[i]!;
    return (this.languages[i] ??= languageOf(s.text, s.language ?? this.transcript.language));
  }

  /** Indexes of the segments a party spoke, in time order. */
  indexesOf(party: Party | 'any'): number[] {
    const out: number[] = [];
    this.segments.forEach((s, i) => {
      if (party === 'any' || s.party === party) out.push(i);
    });
    return out;
  }

  /** When the call's last word ended. */
  get endMs(): number {
    return this.segments.reduce((end, s) => Math.max(end, s.endMs), 0);
  }

  /** The first segment among `indexes` where `phrases` has a hit. */
  firstIn(indexes: readonly number[], phrases: PhraseFinder): { index: number; match: PhraseMatch } | null {
    for (const index of indexes) {
      const match = phrases.findIn(this, index);
      if (match) return { index, match };
    }
    return null;
  }

  evidence(i: number, extra: Partial<Evidence> = {}): Evidence {
    const s = this.segments[i]!;
    return { seq: s.seq, party: s.party, atMs: s.startMs, text: s.text, ...extra };
  }
}
