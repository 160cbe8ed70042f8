// Rule files (`qa/*.yaml`): read, validated with zod, compiled. A bad file stops loading with
// every problem as `file: dotted.path: what is wrong`, so an analyst can fix it without reading
// code (STYLE.md §8).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Synonyms } from '../text/match.js';
import type { CompiledRule } from './kind.js';
import { ruleKindNames, ruleKinds } from './registry.js';

export class QaRulesError extends Error {
  readonly code = 'HOTLINE_QA_RULES_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid QA rules:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'QaRulesError';
  }
}

const fileSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    /** Default closeness for every phrase in the file (1 = word for word). */
    minSimilarity: z.number().min(0.5).max(1).default(0.8),
    /** Groups of words or phrases that mean the same, in any language. */
    synonyms: z.array(z.array(z.string().min(1)).min(2)).default([]),
    rules: z.array(z.unknown()).default([]),
  })
  .strict();

export interface RuleSet {
  rules: CompiledRule[];
  synonyms: Synonyms;
  files: string[];
}

interface ParsedFile {
  file: string;
  minSimilarity: number;
  synonyms: string[][];
  rules: { index: number; entry: Record<string, unknown> }[];
}

function issuesOf(error: z.ZodError, file: string, prefix: (string | number)[] = []): string[] {
  return error.issues.map((i) => `${file}: ${[...prefix, ...i.path].join('.') || '(file)'}: ${i.message}`);
}

function parseFile(text: string, file: string, problems: string[]): ParsedFile | null {
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (err) {
    problems.push(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    problems.push(...issuesOf(parsed.error, file));
    return null;
  }
  const rules = parsed.data.rules.flatMap((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${file}: rules.${index}: expected a rule (an object with id and kind)`);
      return [];
    }
    return [{ index, entry: entry as Record<string, unknown> }];
  });
  return { file, minSimilarity: parsed.data.minSimilarity, synonyms: parsed.data.synonyms, rules };
}

/** Compiles rule files given as text (name → YAML). Throws QaRulesError listing every problem. */
export function compileRuleFiles(files: { file: string; text: string }[]): RuleSet {
  const problems: string[] = [];
  const parsed = files.flatMap((f) => parseFile(f.text, f.file, problems) ?? []);
  const synonyms = new Synonyms(parsed.flatMap((p) => p.synonyms));
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  for (const { file, minSimilarity, rules: entries } of parsed) {
    for (const { index, entry } of entries) {
      const where = `${file}: rules.${index}`;
      const kind = ruleKinds.find((k) => k.kind === entry.kind);
      if (!kind) {
        problems.push(
          `${where}.kind: unknown rule kind ${JSON.stringify(entry.kind)}; one of ${ruleKindNames.join(', ')}`,
        );
        continue;
      }
      const config = kind.schema.safeParse(entry);
      if (!config.success) {
        problems.push(...issuesOf(config.error, file, ['rules', index]));
        continue;
      }
      const id = (config.data as { id: string }).id;
      if (seen.has(id)) {
        problems.push(`${where}.id: rule id "${id}" is already used in ${seen.get(id)}`);
        continue;
      }
      seen.set(id, file);
      // Each kind's compile takes its own config type; the union is checked by the schema above.
      rules.push(
        (kind.compile as (c: unknown, e: unknown) => CompiledRule)(config.data, { synonyms, minSimilarity }),
      );
    }
  }
  if (problems.length) throw new QaRulesError(problems);
  return { rules, synonyms, files: files.map((f) => f.file) };
}

/** Loads every `*.yaml`/`*.yml` in `dir`, in name order. A missing folder is an error. */
export function loadRules(dir: string): RuleSet {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/i.test(n))
      .sort();
  } catch (err) {
    throw new QaRulesError([
      `${dir}: cannot read the rules folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    ]);
  }
  return compileRuleFiles(
    names.map((n) => ({ file: path.join(dir, n), text: readFileSync(path.join(dir, n), 'utf8') })),
  );
}
