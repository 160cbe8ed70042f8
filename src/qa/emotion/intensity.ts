// How intensely a segment is said, apart from its words' sentiment: anger words (投诉, furious),
// exclamation marks and doubled ?!, SHOUTING in capitals, angry faces; and whether it says
// frustration in so many words (cues-en.ts, cues-zh.ts).
import { frustrationEn } from './cues-en.js';
import { frustrationZh } from './cues-zh.js';
import { enAngerWords } from './lexicon-en.js';
import { zhAngerWords } from './lexicon-zh.js';

const acronyms = /^(USA|UK|API|ATM|SMS|PIN|ID|FAQ|URL|TSA|PNR|SIM|USB|GPS|VIP|CEO|BA|AA|LHR|JFK|LAX|OK)$/;

export interface Intensity {
  /** 0..1: !!!, ??, SHOUTING, anger words, angry faces. */
  level: number;
  /** Frustration said without a sentiment word: upset in itself. */
  frustration: boolean;
}

export function intensityOf(text: string, tokens: readonly string[], angryFace: boolean): Intensity {
  const angerWords = tokens.filter((t) => zhAngerWords.has(t) || enAngerWords.has(t)).length;
  const exclamations = (text.match(/[!！]+/g) ?? []).length;
  const doubled = (text.match(/[?？!！]{2,}/g) ?? []).length;
  const shouting = (text.match(/\b[A-Z]{3,}\b/g) ?? []).filter((w) => !acronyms.test(w)).length;
  const level = Math.min(
    1,
    0.25 * Math.min(2, angerWords) +
      0.12 * Math.min(2, exclamations) +
      0.15 * Math.min(2, doubled) +
      0.12 * Math.min(3, shouting) +
      (angryFace ? 0.2 : 0),
  );
  return {
    level,
    // The English patterns are the costliest test of a segment: only where there is English.
    frustration: (/[a-z]/i.test(text) && frustrationEn.test(text)) || frustrationZh.test(text),
  };
}
