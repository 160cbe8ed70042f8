// A text-to-speech provider writes one utterance as an 8 kHz mono 16-bit WAV file (what the
// media server plays on a G.711 call without resampling). One file per provider in this folder.
import type { LanguageSettings } from '../languages.js';

export interface TtsProvider {
  /** Part of the cache key: a new provider or voice never reuses another's audio. */
  readonly name: string;
  /** Writes `text` spoken in `language` to `wavFile`. Rejects with IVR_TTS_FAILED. */
  synthesize(text: string, language: LanguageSettings, wavFile: string): Promise<void>;
  /** Identifies the voice used for `language` (for the cache key). */
  voiceOf(language: LanguageSettings): string;
}
