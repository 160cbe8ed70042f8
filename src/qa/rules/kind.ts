// What every rule kind provides: the schema of its entry in a rule file, and a compiler from that
// entry to a rule that judges one call. One kind per file in this folder; `registry.ts` lists them.
import { z } from 'zod';
import type { PreparedCall } from '../call.js';
import type { CallEmotion } from '../emotion/index.js';
import type { Synonyms } from '../text/match.js';
import type { Evidence, RuleOutcome } from '../types.js';

/** Fields every rule has, whatever its kind. */
export const ruleBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, _ . - only'),
  title: z.string().optional(),
  /** Share of the call's QA score; 0 keeps a rule informative only. */
  weight: z.number().min(0).max(100).default(10),
};

export interface CompileEnv {
  synonyms: Synonyms;
  /** The rule file's default for how close a wording must be. */
  minSimilarity: number;
}

export interface CallFacts {
  call: PreparedCall;
  emotion: CallEmotion;
}

export interface CompiledRule {
  id: string;
  kind: string;
  title: string;
  weight: number;
  evaluate: (facts: CallFacts) => RuleOutcome;
  /** Kinds that can judge a single segment as it is said (forbidden phrases) implement this. */
  checkSegment?: (call: PreparedCall, index: number) => Evidence | null;
}

export interface RuleKind<S extends z.ZodType = z.ZodType> {
  kind: string;
  /** The entry's schema; it must have `kind: z.literal(<kind>)` and the `ruleBase` fields. */
  schema: S;
  compile(config: z.infer<S>, env: CompileEnv): CompiledRule;
}

/** An outcome with the common fields of `rule` filled in. */
export function outcome(
  rule: Pick<CompiledRule, 'id' | 'kind' | 'title' | 'weight'>,
  status: RuleOutcome['status'],
  reason: string,
  evidence: Evidence[] = [],
): RuleOutcome {
  return {
    ruleId: rule.id,
    kind: rule.kind,
    title: rule.title,
    weight: rule.weight,
    status,
    reason,
    evidence,
  };
}

/** Seconds, for reasons an analyst reads. */
export function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
