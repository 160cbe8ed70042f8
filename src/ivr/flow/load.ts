// Reads one flow file and validates it completely before it can run: YAML syntax, the flow's
// header, every step against its verb's schema (zod), verb-specific checks, then the graph.
// Every problem names the file, the line when known, the dotted step path and what is wrong.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import type { FlowProblem } from '../errors.js';
import { verbNamed, verbNames, type Step } from '../verbs/index.js';
import { flowName, stepName } from './fields.js';
import type { Flow } from './flow.js';
import { checkGraph } from './graph.js';

const header = z
  .object({
    name: flowName.optional(),
    description: z.string().optional(),
    start: stepName,
    language: z.string().min(1).optional(),
    onError: stepName.optional(),
    steps: z.record(z.string(), z.unknown()).refine((s) => Object.keys(s).length > 0, 'a flow needs steps'),
  })
  .strict();

export interface LoadOptions {
  /** Configured languages (ivr.languages keys): `language` values are checked against them. */
  languages: readonly string[];
}

export type LoadResult = { ok: true; flow: Flow } | { ok: false; problems: FlowProblem[] };

type PathPart = string | number;

class Problems {
  readonly list: FlowProblem[] = [];
  constructor(
    private readonly file: string,
    private readonly doc: Document | null,
    private readonly lines: LineCounter,
  ) {}

  add(at: PathPart[], message: string): void {
    this.list.push({ file: this.file, line: this.lineOf(at), path: at.join('.'), message });
  }

  /**
   * The line of the deepest node on `at` that exists in the YAML: a mapping entry's key line
   * (where a reader looks for `steps.menu`), else its parent's (a missing field).
   */
  private lineOf(at: PathPart[]): number | undefined {
    if (!this.doc) return undefined;
    let node: unknown = this.doc.contents;
    let offset: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
    for (const part of at) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
        if (!pair) break;
        offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        node = node.items[part];
        offset = (node as { range?: number[] } | undefined)?.range?.[0] ?? offset;
        if (!node) break;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `missing (${issue.message})`;
  // A bad record key (a menu key "12"): zod puts the key schema's own message one level down.
  if (issue.code === 'invalid_key') return issue.issues.map((i) => i.message).join('; ');
  return issue.message;
}

/** Validates flow text; `file` is only used in messages. */
export function parseFlow(text: string, file: string, options: LoadOptions): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    const problems = doc.errors.map((e): FlowProblem => ({
      file,
      line: lines.linePos(e.pos[0]).line,
      path: '',
      message: `not valid YAML: ${e.message.split('\n')[0]}`,
    }));
    return { ok: false, problems };
  }
  const problems = new Problems(file, doc, lines);
  const raw: unknown = doc.toJS();
  const parsed = header.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.add(issue.path as PathPart[], issueMessage(issue));
    return { ok: false, problems: problems.list };
  }
  const steps = new Map<string, Step>();
  for (const [name, value] of Object.entries(parsed.data.steps)) {
    const step = parseStep(name, value, problems, options);
    if (step) steps.set(name, step);
  }
  const language = parsed.data.language;
  if (language && !options.languages.includes(language)) {
    problems.add(
      ['language'],
      `"${language}" is not a configured language (ivr.languages has ${options.languages.join(', ')})`,
    );
  }
  // The graph is only checked once every step parsed: a broken step would show up again as a
  // missing target or an unreachable step, which says the same thing twice.
  if (!problems.list.length) {
    for (const p of checkGraph({ start: parsed.data.start, onError: parsed.data.onError, steps })) {
      problems.add(p.path, p.message);
    }
  }
  if (problems.list.length) return { ok: false, problems: problems.list };
  return {
    ok: true,
    flow: {
      name: parsed.data.name ?? path.basename(file).replace(/\.ya?ml$/, ''),
      file,
      version: createHash('sha256').update(text).digest('hex').slice(0, 12),
      description: parsed.data.description,
      start: parsed.data.start,
      language,
      onError: parsed.data.onError,
      steps,
    },
  };
}

function parseStep(name: string, value: unknown, problems: Problems, options: LoadOptions): Step | null {
  const at = ['steps', name];
  const nameCheck = stepName.safeParse(name);
  if (!nameCheck.success) problems.add(at, nameCheck.error.issues[0]!.message);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add(at, `a step is a mapping with a verb (one of ${verbNames.join(', ')})`);
    return null;
  }
  const verbName = (value as { verb?: unknown }).verb;
  if (verbName === undefined) {
    problems.add(at, `missing verb: one of ${verbNames.join(', ')}`);
    return null;
  }
  const def = typeof verbName === 'string' ? verbNamed(verbName) : undefined;
  if (!def) {
    problems.add([...at, 'verb'], `unknown verb ${JSON.stringify(verbName)}: one of ${verbNames.join(', ')}`);
    return null;
  }
  const parsed = def.schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.add([...at, ...(issue.path as PathPart[])], issueMessage(issue));
    return null;
  }
  for (const p of def.check?.(parsed.data, { languages: options.languages }) ?? []) {
    problems.add([...at, ...p.path], p.message);
  }
  for (const p of promptLanguages(parsed.data, [])) {
    if (!options.languages.includes(p.lang)) {
      problems.add(
        [...at, ...p.path, 'lang'],
        `"${p.lang}" is not a configured language (ivr.languages has ${options.languages.join(', ')})`,
      );
    }
  }
  return parsed.data as Step;
}

/** Every prompt item's `lang` in a step, with its path. */
function promptLanguages(value: unknown, at: PathPart[]): { path: PathPart[]; lang: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => promptLanguages(v, [...at, i]));
  if (value === null || typeof value !== 'object') return [];
  const item = value as Record<string, unknown>;
  const isPrompt = ['say', 'sound', 'media'].some((k) => k in item);
  const own = isPrompt && typeof item.lang === 'string' ? [{ path: at, lang: item.lang }] : [];
  return [...own, ...Object.entries(item).flatMap(([k, v]) => promptLanguages(v, [...at, k]))];
}
