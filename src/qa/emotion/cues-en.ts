// English frustration said without a sentiment word: rhetorical outbursts ("what the hell", "are
// you kidding"), being fed up, service that does not help, being ignored ("nobody called me
// back", "no reply") and failing again and again ("the third time", "tried five times"). Any of
// these makes a segment upset by itself.
//
// Not here on purpose: "still hasn't arrived", "it keeps asking", "why do I have to", "switch to
// another provider", "not working". In requests to service these are mostly calm reports of a
// fault or questions about a policy (on the dev slice of the RSiCS corpus, 0–23% of the requests
// with one were annotated as emotion, against about half for the patterns above); the words
// around them decide.

const alternatives = (patterns: string[]) => patterns.map((p) => `\\b(?:${p})\\b`).join('|');

export const frustrationEn = new RegExp(
  alternatives([
    "why (haven't|hasn't|won't) you|why is it so (hard|difficult)",
    'what in the world|what the (hell|heck|fuck)|can.?t believe',
    'how (am i|are you|are we|is one) suppose[d]? to|seriously\\?|are you (kidding|serious|joking)',
    'sick (and tired )?of|fed up|(getting|so|really) tired of|had enough',
    'waste of (my )?time|for the (last|third|fourth|fifth|\\d+(st|nd|rd|th)) time',
    'never again|going (round )?in circles|i give up',
    '(this|that|it) is (crazy|insane|ridiculous|absurd|a joke|unacceptable|a disgrace)|not (good enough|acceptable)',
    "(isn't|is not|was not|wasn't|of) (much |any )?help|no help( at all)?|(did|does|do)(n't| not) help",
    "(don't|dont|do not) like (your|this|the)|(really )?doubt (you|they|it)|not happy|(the|your) worst",
    // A virtual or human agent that does not answer what was asked.
    "(not|never|\\w+n't) (really )?(answer|answering|answered|understand|understanding|listening)( to)?( my| the)? (question|problem)s?",
    "(question|questions) (was|were|is|has|have)(n't| not| never)( been)? answered|not what i asked",
    'what a (joke|mess|farce|nightmare|shambles|bunch|rip)|(bunch|pack) of (crooks|idiots|clowns|thieves|liars|amateurs)',
    'do you (guys )?(even )?(want|care|read|listen)',
    '(nobody|no one|no-one) (has |have |ever )?(called|rang|phoned|got|gets|came|answered|responded|replied|contacted|helped|cares|seems)',
    '(never|not) (called|got|heard|received)( me)? back|no (reply|response|answer|call back|callback)',
    // Not "third week", "second month": those are usually dates ("the third week in December").
    '(second|third|fourth|fifth|2nd|3rd|4th|5th|umpteenth) (time|call|attempt)',
    '(called|tried|reset|rang|phoned|asked|emailed|contacted|restarted)( it| you| them)? (\\d+|two|three|four|five|several|multiple|many|numerous) times',
  ]) + '|\\?!|!\\?',
  'i',
);
