// Rule kind `verification`: the agent verifies the caller's identity before talking about the
// account. Not applicable to a call where no account detail comes up.
//   - id: verify-identity
//     kind: verification
//     verification: { en: [verify your identity, date of birth], zh: [核实您的身份, 身份证后四位] }
//     accountDetails: { en: [your balance, your account number], zh: [账户余额, 您的账单] }
import { z } from 'zod';
import { PhraseSet, minSimilaritySchema, phraseListSchema } from './phrases.js';
import { outcome, ruleBase, secs, type RuleKind } from './kind.js';

const schema = z
  .object({
    ...ruleBase,
    kind: z.literal('verification'),
    /** What the agent says to verify (asks for the date of birth, confirms the ID). */
    verification: phraseListSchema,
    /** What counts as talking about the account. */
    accountDetails: phraseListSchema,
    /** Who reveals account details: usually the agent; `any` also counts the caller asking. */
    detailsParty: z.enum(['agent', 'any']).default('agent'),
    minSimilarity: minSimilaritySchema,
  })
  .strict();

export const verificationRule: RuleKind<typeof schema> = {
  kind: 'verification',
  schema,
  compile(config, env) {
    const min = config.minSimilarity ?? env.minSimilarity;
    const verify = new PhraseSet(config.verification, env.synonyms, min);
    const details = new PhraseSet(config.accountDetails, env.synonyms, min);
    const rule = {
      id: config.id,
      kind: 'verification',
      title: config.title ?? 'Identity verified before account details',
      weight: config.weight,
    };
    return {
      ...rule,
      evaluate({ call }) {
        const detail = call.firstIn(call.indexesOf(config.detailsParty), details);
        if (!detail) return outcome(rule, 'not-applicable', 'no account details were discussed');
        const detailAt = call.segments[detail.index]!.startMs;
        const check = call.firstIn(call.indexesOf('agent'), verify);
        const detailEvidence = call.evidence(detail.index, { ...detail.match, note: 'account details' });
        if (check && call.segments[check.index]!.startMs <= detailAt && check.index !== detail.index) {
          return outcome(
            rule,
            'pass',
            `identity verified at ${secs(call.segments[check.index]!.startMs)}, before account details`,
            [call.evidence(check.index, { ...check.match, note: 'verification' }), detailEvidence],
          );
        }
        if (check && check.index === detail.index) {
          return outcome(rule, 'pass', 'identity verified in the same breath as the account details', [
            call.evidence(check.index, { ...check.match, note: 'verification' }),
          ]);
        }
        return outcome(
          rule,
          'fail',
          check
            ? `account details at ${secs(detailAt)}, identity verified only later`
            : `account details at ${secs(detailAt)} without any identity verification`,
          check
            ? [detailEvidence, call.evidence(check.index, { ...check.match, note: 'late verification' })]
            : [detailEvidence],
        );
      },
    };
  },
};
