// Rule kind `disclosure`: something the agent is required to say (the call is recorded, a fee,
// a cooling-off period), anywhere in the call or within its first N seconds.
//   - id: recording-notice
//     kind: disclosure
//     withinSeconds: 60
//     phrases: { en: [this call may be recorded], zh: [本次通话可能会被录音] }
import { z } from 'zod';
import { PhraseSet, minSimilaritySchema, phraseListSchema } from './phrases.js';
import { outcome, ruleBase, secs, type RuleKind } from './kind.js';

const schema = z
  .object({
    ...ruleBase,
    kind: z.literal('disclosure'),
    /** From the start of the call; absent = anywhere in the call. */
    withinSeconds: z.number().positive().optional(),
    phrases: phraseListSchema,
    minSimilarity: minSimilaritySchema,
  })
  .strict();

export const disclosureRule: RuleKind<typeof schema> = {
  kind: 'disclosure',
  schema,
  compile(config, env) {
    const phrases = new PhraseSet(config.phrases, env.synonyms, config.minSimilarity ?? env.minSimilarity);
    const rule = {
      id: config.id,
      kind: 'disclosure',
      title: config.title ?? 'Required disclosure',
      weight: config.weight,
    };
    return {
      ...rule,
      evaluate({ call }) {
        const agent = call.indexesOf('agent');
        if (!agent.length) return outcome(rule, 'not-applicable', 'the agent never spoke');
        const hit = call.firstIn(agent, phrases);
        const deadline = config.withinSeconds === undefined ? Infinity : config.withinSeconds * 1000;
        if (hit && call.segments[hit.index]!.startMs <= deadline)
          return outcome(rule, 'pass', `disclosed at ${secs(call.segments[hit.index]!.startMs)}`, [
            call.evidence(hit.index, { ...hit.match }),
          ]);
        if (hit)
          return outcome(
            rule,
            'fail',
            `disclosed at ${secs(call.segments[hit.index]!.startMs)}, later than ${config.withinSeconds} s`,
            [call.evidence(hit.index, { ...hit.match, note: 'late' })],
          );
        return outcome(rule, 'fail', 'required disclosure never said', [
          call.evidence(agent[agent.length - 1]!, { note: 'last agent words' }),
        ]);
      },
    };
  },
};
