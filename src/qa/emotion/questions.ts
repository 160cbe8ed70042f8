// Questions: most are requests for information, and a negative word inside one is a topic or a
// hypothesis ("could the remote be bad?", "is a 55 minute layover a problem?"), not the asker's
// feeling, so its negativity counts for less. Questions that complain rather than ask ("why is my
// bill so high?", "why doesn't this work?") keep their full weight.
//
// English only: Chinese complaints ask rhetorical questions (反问) constantly and often without a
// marker word ("这就是你们的服务？"), so a question mark says little there; on the Chinese
// helpdesk dev slice damping them made satisfaction slightly worse, so Chinese questions count
// in full.

/** How much a plain question's negative words count. */
export const questionWeight = 0.5;

const complainingEn =
  /^\s*(why|how come)\b|\b(what|who) the (hell|heck|fuck)\b|\bare you (kidding|serious|joking)\b|\bseriously\b|\bwhat is wrong with\b/i;

// Typed requests often drop the question mark ("could the remote be bad"): a sentence that opens
// with an auxiliary verb before its subject, or with a wh-word, is a question all the same.
const interrogativeEn =
  /^\s*(?:(?:can|could|would|will|should|shall|may|might|is|are|was|were|do|does|did|has|have|had)(?:n't)? (?:i|you|we|they|he|she|it|this|that|these|those|there|the|my|your|our|their|a|an|anyone|anybody|someone|somebody)\b|(?:what|where|when|which|who|how)\b(?! come\b))/i;

/** The sentence (its terminator included) is a question asking for information. */
export function isPlainQuestion(sentence: string, terminator: string, chinese: boolean): boolean {
  if (chinese || terminator.includes('!') || complainingEn.test(sentence)) return false;
  return terminator.includes('?') || interrogativeEn.test(sentence);
}
