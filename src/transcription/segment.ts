// A transcript segment: what one party said, when, with how much confidence. Produced by the
// transcription module (live, from ASR) and read by QA, consoles and the transcript API; also
// the unit of imported transcripts (JSON), so QA can run on text alone.

export type Party = 'caller' | 'agent';

export interface TranscriptSegment {
  callId: string;
  party: Party;
  /** Milliseconds from the start of the call. */
  startMs: number;
  endMs: number;
  text: string;
  /** 0..1, or null when the recogniser gives none. */
  confidence: number | null;
  /** BCP 47 language tag as recognised: 'en-US', 'cmn-Hans-CN', ... */
  language: string;
  /** Interim results are live-only; finals are stored. */
  final: boolean;
  /** Order of the segment within its call and party. */
  seq?: number;
  /** Which recogniser produced it (pocketsphinx, websocket, google, import). */
  provider?: string;
}
