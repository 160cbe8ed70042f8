// What QA needs from the application context, loaded once per running hotline: the compiled
// rules (a bad rule file fails at start, naming the file and field) and the analysis options.
import type { AppContext } from '../context.js';
import { resolvePath } from '../config.js';
import type { AnalyseOptions } from './analyse.js';
import { loadRules, type RuleSet } from './rules/load.js';

const cache = new WeakMap<AppContext, RuleSet>();

export function qaRules(ctx: Pick<AppContext, 'config'> & object): RuleSet {
  const key = ctx as AppContext;
  let rules = cache.get(key);
  if (!rules) {
    rules = loadRules(resolvePath(ctx.config, ctx.config.qa.rulesDir));
    cache.set(key, rules);
  }
  return rules;
}

export function analyseOptions(ctx: Pick<AppContext, 'config'> & object): AnalyseOptions {
  return {
    rules: qaRules(ctx),
    redact: ctx.config.qa.redact,
    emotion: { angerThreshold: ctx.config.qa.angerThreshold },
  };
}
