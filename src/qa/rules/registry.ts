// Every rule kind, by the name rule files use for it. A new kind is a file in this folder and a
// line here.
import { agentToneRule } from './agent-tone.js';
import { closingRule } from './closing.js';
import { disclosureRule } from './disclosure.js';
import { forbiddenRule } from './forbidden.js';
import { greetingRule } from './greeting.js';
import type { RuleKind } from './kind.js';
import { verificationRule } from './verification.js';

export const ruleKinds = [
  greetingRule,
  verificationRule,
  closingRule,
  forbiddenRule,
  disclosureRule,
  agentToneRule,
] as const satisfies readonly RuleKind[];

export const ruleKindNames = ruleKinds.map((k) => k.kind);
