// Rule kind `forbidden`: phrases a party must never say (by default the agent). Every hit is
// reported with its segment; live, each hit is flagged to supervisors as it is said.
//   - id: no-blame
//     kind: forbidden
//     phrases: { en: [that's not my problem, calm down], zh: [这不归我管, 你自己看着办] }
import { z } from 'zod';
import { PhraseSet, minSimilaritySchema, phraseListSchema } from './phrases.js';
import { outcome, ruleBase, type RuleKind } from './kind.js';

const schema = z
  .object({
    ...ruleBase,
    kind: z.literal('forbidden'),
    party: z.enum(['agent', 'caller', 'any']).default('agent'),
    phrases: phraseListSchema,
    minSimilarity: minSimilaritySchema,
  })
  .strict();

export const forbiddenRule: RuleKind<typeof schema> = {
  kind: 'forbidden',
  schema,
  compile(config, env) {
    const phrases = new PhraseSet(config.phrases, env.synonyms, config.minSimilarity ?? env.minSimilarity);
    const rule = {
      id: config.id,
      kind: 'forbidden',
      title: config.title ?? 'Forbidden phrases',
      weight: config.weight,
    };
    return {
      ...rule,
      checkSegment(call, index) {
        const segment = call.segments[index]!;
        if (config.party !== 'any' && segment.party !== config.party) return null;
        const hit = phrases.findIn(call, index);
        return hit ? call.evidence(index, { ...hit }) : null;
      },
      evaluate({ call }) {
        const hits = call.indexesOf(config.party).flatMap((index) => {
          const hit = phrases.findIn(call, index);
          return hit ? [call.evidence(index, { ...hit })] : [];
        });
        if (!hits.length) return outcome(rule, 'pass', 'no forbidden phrase');
        return outcome(rule, 'fail', `${hits.length} forbidden phrase(s), first "${hits[0]!.phrase}"`, hits);
      },
    };
  },
};
