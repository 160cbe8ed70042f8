// Politeness formulas use negative words without negative feeling: "sorry to bother you",
// "excuse me", "I'm afraid that…", "this may be a silly question", 不好意思打扰一下. They are
// removed before scoring, so only what the speaker says about the matter counts.

const formulasEn = new RegExp(
  [
    '(so |very |really )?sorry (to|for) (bother|trouble|disturb)(ing)?( you| u)?',
    'sorry (if|for) (this|i|my)[^.?!]{0,40}(question|post|english|asking|forum|before)',
    '(excuse|pardon) me',
    // "I'm afraid I can't", not "I'm afraid of flying".
    "i'?m afraid(?= (that|not|so|i|we|you|it|this|there|the|your|my)\\b)",
    'no (problem|worries|bother)',
    '(thanks|thank you) in advance',
    '(probably|may be|might be|maybe|perhaps) (a )?(stupid|dumb|silly|daft|naive) question',
    '(risk|danger) of (sounding|seeming|being) (stupid|dumb|silly|daft|naive)',
    "(don'?t|do not|wouldn'?t) mind",
    'to (be|stay) on the safe side',
    'just in case',
  ]
    .map((p) => `\\b${p}\\b`)
    .join('|'),
  'gi',
);

const formulasZh = /(不好意思|打扰(一下|了|您|你)|麻烦(您|你)(了)?)/gu;

/** The text with politeness formulas blanked out (clause punctuation stays where it was). */
export function withoutPoliteness(text: string): string {
  return text.replace(formulasEn, ' ').replace(formulasZh, ' ');
}
