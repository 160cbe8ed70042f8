// The flows in service, by name, loaded from a folder of YAML files. A changed file is reloaded
// (hot reload): a valid new version replaces the old one for calls that start from then on, an
// invalid one is refused with its problems and the running version stays in service. Calls in
// progress keep the version they started with.
import { existsSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import { FlowError, formatProblem, type FlowProblem } from '../errors.js';
import { verbNamed } from '../verbs/index.js';
import type { Flow } from './flow.js';
import { parseFlow, type LoadOptions } from './load.js';

export const isFlowFile = (file: string) => /\.ya?ml$/.test(file);

/** Problems with references to other flows (goto/subflow), given the names that exist. */
export function checkFlowRefs(flow: Flow, known: ReadonlySet<string>): FlowProblem[] {
  const problems: FlowProblem[] = [];
  for (const [name, step] of flow.steps) {
    for (const ref of verbNamed(step.verb)?.flowRefs?.(step) ?? []) {
      if (known.has(ref.flow)) continue;
      problems.push({
        file: flow.file,
        path: ['steps', name, ...ref.path].join('.'),
        message: `no flow named "${ref.flow}" (flows: ${[...known].sort().join(', ') || 'none'})`,
      });
    }
  }
  return problems;
}

/** Loads and checks several files together (cross-flow references resolved among them). */
export function loadFlowFiles(
  files: string[],
  options: LoadOptions,
): { flows: Map<string, Flow>; problems: FlowProblem[] } {
  const flows = new Map<string, Flow>();
  const problems: FlowProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      problems.push({ file, path: '', message: `cannot read: ${(err as Error).message}` });
      continue;
    }
    const result = parseFlow(text, file, options);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const taken = flows.get(result.flow.name);
    if (taken) {
      problems.push({
        file,
        path: 'name',
        message: `flow "${result.flow.name}" is already defined in ${taken.file}`,
      });
      continue;
    }
    flows.set(result.flow.name, result.flow);
  }
  const names = new Set(flows.keys());
  for (const flow of [...flows.values()]) {
    const refs = checkFlowRefs(flow, names);
    if (refs.length) {
      problems.push(...refs);
      flows.delete(flow.name);
    }
  }
  return { flows, problems };
}

export function flowFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(isFlowFile)
    .sort()
    .map((f) => path.join(dir, f));
}

export type ReloadResult =
  | { ok: true; flow: Flow; replaced: boolean }
  | { ok: false; problems: FlowProblem[]; kept: Flow | null }
  | { ok: true; removed: string };

export class FlowCatalog {
  private flows = new Map<string, Flow>();
  private readonly fileToFlow = new Map<string, string>();
  private watcher: FSWatcher | null = null;
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    readonly dir: string,
    private readonly options: LoadOptions & {
      log: Logger;
      onReload?: (file: string, result: ReloadResult) => void;
    },
  ) {}

  /** Loads every flow in the folder; throws FlowError listing every problem (nothing is loaded then). */
  loadAll(): void {
    const { flows, problems } = loadFlowFiles(flowFilesIn(this.dir), this.options);
    if (problems.length) throw new FlowError(problems);
    this.flows = flows;
    this.fileToFlow.clear();
    for (const flow of flows.values()) this.fileToFlow.set(path.resolve(flow.file), flow.name);
  }

  get(name: string): Flow | undefined {
    return this.flows.get(name);
  }

  names(): string[] {
    return [...this.flows.keys()];
  }

  /** The flows as they are now; a call resolves subflows against the snapshot it started with. */
  snapshot(): ReadonlyMap<string, Flow> {
    return this.flows;
  }

  /** Loads one file again; keeps the running version when the new one is invalid. */
  reload(file: string): ReloadResult {
    const absolute = path.resolve(file);
    const previousName = this.fileToFlow.get(absolute);
    if (!existsSync(absolute)) return this.removeFile(absolute, previousName);
    const kept = previousName ? (this.flows.get(previousName) ?? null) : null;
    const result = parseFlow(readFileSync(absolute, 'utf8'), file, this.options);
    if (!result.ok) return this.refuse(file, result.problems, kept);
    const { flow } = result;
    const owner = this.flows.get(flow.name);
    if (owner && path.resolve(owner.file) !== absolute) {
      return this.refuse(
        file,
        [{ file, path: 'name', message: `flow "${flow.name}" is already defined in ${owner.file}` }],
        kept,
      );
    }
    const names = new Set(this.flows.keys());
    if (previousName) names.delete(previousName);
    names.add(flow.name);
    const refs = checkFlowRefs(flow, names);
    if (refs.length) return this.refuse(file, refs, kept);
    const next = new Map(this.flows);
    if (previousName && previousName !== flow.name) next.delete(previousName);
    next.set(flow.name, flow);
    // A new map, never a mutation: snapshots held by calls in progress stay as they were.
    this.flows = next;
    this.fileToFlow.set(absolute, flow.name);
    this.options.log.info(
      { flow: flow.name, version: flow.version, file },
      kept ? 'flow reloaded' : 'flow loaded',
    );
    return this.report(file, { ok: true, flow, replaced: kept !== null });
  }

  private removeFile(absolute: string, name: string | undefined): ReloadResult {
    if (!name) return this.report(absolute, { ok: true, removed: '' });
    const next = new Map(this.flows);
    next.delete(name);
    this.flows = next;
    this.fileToFlow.delete(absolute);
    this.options.log.warn({ flow: name, file: absolute }, 'flow file removed; the flow is out of service');
    return this.report(absolute, { ok: true, removed: name });
  }

  private refuse(file: string, problems: FlowProblem[], kept: Flow | null): ReloadResult {
    this.options.log.error(
      { file, problems: problems.map(formatProblem), kept: kept ? `${kept.name}@${kept.version}` : null },
      kept ? 'flow file rejected; the running version stays in service' : 'flow file rejected',
    );
    return this.report(file, { ok: false, problems, kept });
  }

  private report(file: string, result: ReloadResult): ReloadResult {
    this.options.onReload?.(file, result);
    return result;
  }

  /** Reloads files as they change (editors write in several steps: changes settle for 100 ms). */
  watch(): void {
    if (this.watcher || !existsSync(this.dir)) return;
    this.watcher = watch(this.dir, (_event, name) => {
      if (!name || !isFlowFile(name)) return;
      const file = path.join(this.dir, name);
      clearTimeout(this.pending.get(file));
      this.pending.set(
        file,
        setTimeout(() => {
          this.pending.delete(file);
          this.reload(file);
        }, 100),
      );
    });
    this.watcher.on('error', (err) =>
      this.options.log.error({ err, dir: this.dir }, 'watching flows failed'),
    );
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
