// Builders for QA unit tests: a call from a few lines of dialogue, rules from YAML text.
import { analyseCall } from './analyse.js';
import { compileRuleFiles } from './rules/load.js';
import type { CallTranscript, Party, RuleOutcome } from './types.js';

/** A call from [party, text] lines, each 3 s long, 0.5 s apart (or at given seconds). */
export function callOf(
  lines: [Party, string, number?][],
  extra: Partial<CallTranscript> = {},
): CallTranscript {
  let clock = 0;
  return {
    callId: extra.callId ?? 'test-call',
    segments: lines.map(([party, text, atSeconds], seq) => {
      const startMs = atSeconds === undefined ? clock : atSeconds * 1000;
      clock = startMs + 3500;
      return { seq, party, startMs, endMs: startMs + 3000, text };
    }),
    ...extra,
  };
}

/** The outcome of the single rule in `yaml` on `call`. */
export function outcomeOf(yaml: string, call: CallTranscript): RuleOutcome {
  const rules = compileRuleFiles([{ file: 'test.yaml', text: yaml }]);
  return analyseCall(call, { rules }).rules[0]!;
}
