// What the IVR needs from transcription for speech menus (`menu` options by spoken word,
// `gather` by speech): listen to one channel until the caller says one of a few phrases.
//
// CHANGES
//   2026-11-24  first version.

export interface SpeechMenuRequest {
  /** The caller's ARI channel (answered). */
  channelId: string;
  /** The phrases that count, e.g. ['technical support', 'billing', 'agent']. */
  phrases: string[];
  /** BCP 47, e.g. 'en-US', 'cmn-Hans-CN'. */
  language: string;
  /** Give up after this long without a match. */
  timeoutMs: number;
}

export interface SpeechMenuResult {
  /** The phrase matched (one of `phrases`), or null when nothing matched before the timeout. */
  phrase: string | null;
  /** What the recogniser heard, for the call's trail. */
  heard: string;
  confidence: number | null;
}

export interface SpeechMenuRecognizer {
  /** Whether this recogniser can do `language` at all (the embedded one is English only). */
  supports(language: string): boolean;
  recognize(request: SpeechMenuRequest, signal?: AbortSignal): Promise<SpeechMenuResult>;
}
