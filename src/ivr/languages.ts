// The languages callers can choose: for each, where its recorded prompts are, the TTS voice and
// the speech-recognition tag. Adding a language is configuration (ivr.languages), not code.
import { configSchema, type HotlineConfig } from '../config.js';

export type LanguageTable = HotlineConfig['ivr']['languages'];
export type LanguageSettings = LanguageTable[string];

/** Chinese (Mandarin) and English, as configured by default. */
export const defaultLanguages: LanguageTable = configSchema.parse({}).ivr.languages;
