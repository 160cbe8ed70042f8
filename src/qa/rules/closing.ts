// Rule kind `closing`: the agent closes by offering further help, in their last few segments.
//   - id: closing
//     kind: closing
//     lastSegments: 3
//     phrases: { en: [anything else I can help you with], zh: [还有什么可以帮您] }
import { z } from 'zod';
import { PhraseSet, minSimilaritySchema, phraseListSchema } from './phrases.js';
import { outcome, ruleBase, type RuleKind } from './kind.js';

const schema = z
  .object({
    ...ruleBase,
    kind: z.literal('closing'),
    /** How many of the agent's last segments count as the closing. */
    lastSegments: z.number().int().min(1).default(3),
    phrases: phraseListSchema,
    minSimilarity: minSimilaritySchema,
  })
  .strict();

export const closingRule: RuleKind<typeof schema> = {
  kind: 'closing',
  schema,
  compile(config, env) {
    const phrases = new PhraseSet(config.phrases, env.synonyms, config.minSimilarity ?? env.minSimilarity);
    const rule = {
      id: config.id,
      kind: 'closing',
      title: config.title ?? 'Closing offers further help',
      weight: config.weight,
    };
    return {
      ...rule,
      evaluate({ call }) {
        const agent = call.indexesOf('agent');
        if (!agent.length) return outcome(rule, 'not-applicable', 'the agent never spoke');
        const closing = agent.slice(-config.lastSegments);
        const hit = call.firstIn(closing, phrases);
        if (hit)
          return outcome(rule, 'pass', 'offered further help when closing', [
            call.evidence(hit.index, { ...hit.match }),
          ]);
        const earlier = call.firstIn(agent.slice(0, -config.lastSegments), phrases);
        return outcome(
          rule,
          'fail',
          earlier
            ? `offered further help, but not in the last ${config.lastSegments} agent segments`
            : 'no offer of further help when closing',
          [call.evidence(agent[agent.length - 1]!, { note: 'last agent words' })],
        );
      },
    };
  },
};
