// The languages callers can choose: for each, where its recorded prompts are, the TTS voice and
// the speech-recognition tag. Adding a language is configuration (ivr.languages), not code.

export interface LanguageSettings {
  /** Shown in logs and graphs. */
  label: string;
  /** BCP 47 tag for speech recognition (SpeechMenuRecognizer), e.g. en-US, cmn-Hans-CN. */
  speech: string;
  /** Folder of recorded prompts and ARI `lang`: sounds/<sounds>/<name>.wav. */
  sounds: string;
  /** espeak-ng voice. */
  espeakVoice: string;
  /** Speak Chinese characters as tone-numbered pinyin (Debian's `-v cmn` reads Hanzi wrongly). */
  pinyin: boolean;
  /** Google Text-to-Speech voice selection. */
  google: { languageCode: string; voice?: string };
}

export type LanguageTable = Record<string, LanguageSettings>;

export const defaultLanguages: LanguageTable = {
  zh: {
    label: '中文',
    speech: 'cmn-Hans-CN',
    sounds: 'zh',
    espeakVoice: 'cmn-latn-pinyin',
    pinyin: true,
    google: { languageCode: 'cmn-CN', voice: 'cmn-CN-Standard-A' },
  },
  en: {
    label: 'English',
    speech: 'en-US',
    sounds: 'en',
    espeakVoice: 'en-us',
    pinyin: false,
    google: { languageCode: 'en-US', voice: 'en-US-Standard-C' },
  },
};
