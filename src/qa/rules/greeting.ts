// Rule kind `greeting`: the agent greets the caller within the first N seconds of speaking.
//   - id: greeting
//     kind: greeting
//     withinSeconds: 10
//     phrases: { en: [thank you for calling], zh: [您好 很高兴为您服务] }
import { z } from 'zod';
import { PhraseSet, minSimilaritySchema, phraseListSchema } from './phrases.js';
import { outcome, ruleBase, secs, type RuleKind } from './kind.js';

const schema = z
  .object({
    ...ruleBase,
    kind: z.literal('greeting'),
    /** Counted from the first word the party says. */
    withinSeconds: z.number().positive().default(10),
    party: z.enum(['agent', 'caller']).default('agent'),
    phrases: phraseListSchema,
    minSimilarity: minSimilaritySchema,
  })
  .strict();

export const greetingRule: RuleKind<typeof schema> = {
  kind: 'greeting',
  schema,
  compile(config, env) {
    const phrases = new PhraseSet(config.phrases, env.synonyms, config.minSimilarity ?? env.minSimilarity);
    const rule = {
      id: config.id,
      kind: 'greeting',
      title: config.title ?? 'Greeting',
      weight: config.weight,
    };
    return {
      ...rule,
      evaluate({ call }) {
        const spoken = call.indexesOf(config.party);
        if (!spoken.length) return outcome(rule, 'not-applicable', `the ${config.party} never spoke`);
        const firstAt = call.segments[spoken[0]!]!.startMs;
        const deadline = firstAt + config.withinSeconds * 1000;
        const hit = call.firstIn(spoken, phrases);
        if (hit && call.segments[hit.index]!.startMs <= deadline) {
          const at = call.segments[hit.index]!.startMs - firstAt;
          return outcome(rule, 'pass', `greeted ${secs(at)} after first speaking`, [
            call.evidence(hit.index, { ...hit.match }),
          ]);
        }
        if (hit) {
          const late = call.segments[hit.index]!.startMs - firstAt;
          return outcome(
            rule,
            'fail',
            `greeting came ${secs(late)} after first speaking, over ${config.withinSeconds} s`,
            [call.evidence(hit.index, { ...hit.match, note: 'late' })],
          );
        }
        return outcome(rule, 'fail', `no greeting within ${config.withinSeconds} s of first speaking`, [
          call.evidence(spoken[0]!, { note: 'first words, no greeting' }),
        ]);
      },
    };
  },
};
