// Feeling words: the speaker naming their own negative emotion ("I'm so frustrated", "getting
// nervous", 我很失望). Service text is full of negative words about things (a bad review, a
// delayed flight, an error message); a named feeling is the clearest sign of emotion, so a
// feeling word that survives negation ("not worried" does not) makes the segment upset by itself.
// "sick" and "fed" are not here: "my husband is sick" is news, and "sick of", "fed up" are
// frustration phrases (cues-en.ts).

export const feelingsEn = new Set(
  (
    'frustrated frustrating frustration annoyed annoying irritated irritating irritation disappointed ' +
    'disappointing disappointment upset angry furious livid outraged mad pissed fuming worried worrying ' +
    'nervous anxious panic panicking panicked scared terrified stressed stressful unnerved distressed ' +
    'sad unhappy depressed devastated gutted heartbroken desperate disgusted appalled shocked ' +
    'exasperated infuriated infuriating aggravated aggravating'
  ).split(/\s+/),
);

export const feelingsZh = new Set(
  (
    '生气 气愤 愤怒 火大 恼火 气死 气死我了 气人 失望 郁闷 烦 烦人 烦死了 无语 难受 委屈 伤心 难过 崩溃 ' +
    '崩溃了 抓狂 着急 焦急 担心 紧张 心累 头疼 烦恼 不爽 不满 不高兴 受够 受够了 忍无可忍 无法忍受 绝望'
  ).split(/\s+/),
);

/** Feeling words among the words the scorer counted as negative (negated ones are not there). */
export function feelingsIn(negativeWords: readonly string[]): number {
  return negativeWords.filter((w) => feelingsEn.has(w) || feelingsZh.has(w)).length;
}
