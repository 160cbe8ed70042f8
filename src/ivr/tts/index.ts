// Text-to-speech: providers (espeak-ng embedded, Google optional) behind one interface, and the
// cache that makes each prompt once.
export type { TtsProvider } from './contract.js';
export { EspeakTts } from './espeak.js';
export { GoogleTts, type GoogleTtsSettings } from './google.js';
export { TtsCache, type TtsCacheOptions } from './cache.js';
export { toPinyin, hasChinese } from './pinyin.js';
