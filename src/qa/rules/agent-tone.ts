// Rule kind `agent-tone`: the agent does not sound negative (share of their segments with
// negative sentiment, from the emotion analysis; apologies are politeness and do not count).
//   - id: agent-tone
//     kind: agent-tone
//     maxNegativeShare: 0.2
import { z } from 'zod';
import { outcome, ruleBase, type RuleKind } from './kind.js';

const schema = z
  .object({
    ...ruleBase,
    kind: z.literal('agent-tone'),
    /** Share of the agent's segments that may sound negative. */
    maxNegativeShare: z.number().min(0).max(1).default(0.2),
  })
  .strict();

export const agentToneRule: RuleKind<typeof schema> = {
  kind: 'agent-tone',
  schema,
  compile(config) {
    const rule = {
      id: config.id,
      kind: 'agent-tone',
      title: config.title ?? 'Agent tone',
      weight: config.weight,
    };
    return {
      ...rule,
      evaluate({ call, emotion }) {
        if (!call.indexesOf('agent').length) return outcome(rule, 'not-applicable', 'the agent never spoke');
        const { negativeShare, negativeSegments } = emotion.agent;
        const share = `${Math.round(negativeShare * 100)}%`;
        if (negativeSegments.length === 0 || negativeShare <= config.maxNegativeShare)
          return outcome(rule, 'pass', `${share} of the agent's segments sound negative`, negativeSegments);
        return outcome(
          rule,
          'fail',
          `${share} of the agent's segments sound negative (at most ${Math.round(config.maxNegativeShare * 100)}%)`,
          negativeSegments,
        );
      },
    };
  },
};
