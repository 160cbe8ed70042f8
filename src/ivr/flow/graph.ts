// The flow as a graph: its edges, and the checks a graph allows before any call runs it:
// transitions to steps that do not exist, steps no path reaches, and loops in which nothing
// waits for the caller (a caller would be stuck there, or the controller would spin).
import { closest } from 'fastest-levenshtein';
import { verbNamed, type Step } from '../verbs/index.js';

export interface Edge {
  from: string;
  to: string;
  label: string;
  /** Path of the field inside the flow, e.g. ['steps', 'main-menu', 'options', '1', 'next']. */
  path: (string | number)[];
}

export interface GraphProblem {
  path: (string | number)[];
  message: string;
}

export interface FlowGraph {
  start: string;
  onError?: string;
  steps: ReadonlyMap<string, Step>;
}

export function edgesOf(steps: ReadonlyMap<string, Step>): Edge[] {
  const edges: Edge[] = [];
  for (const [name, step] of steps) {
    const def = verbNamed(step.verb);
    if (!def) continue;
    for (const t of def.transitions(step)) {
      edges.push({ from: name, to: t.target, label: t.label, path: ['steps', name, ...t.path] });
    }
  }
  return edges;
}

function unknownStep(target: string, steps: ReadonlyMap<string, Step>): string {
  const names = [...steps.keys()];
  const guess = names.length ? closest(target, names) : undefined;
  return `"${target}" is not a step of this flow${guess ? ` (did you mean "${guess}"?)` : ''}`;
}

export function checkGraph(flow: FlowGraph): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const { steps } = flow;
  const edges = edgesOf(steps);
  if (!steps.has(flow.start)) problems.push({ path: ['start'], message: unknownStep(flow.start, steps) });
  if (flow.onError && !steps.has(flow.onError)) {
    problems.push({ path: ['onError'], message: unknownStep(flow.onError, steps) });
  }
  for (const e of edges) {
    if (!steps.has(e.to)) problems.push({ path: e.path, message: unknownStep(e.to, steps) });
  }
  problems.push(...unreachable(flow, edges), ...loopsWithoutInput(steps, edges));
  return problems;
}

function unreachable(flow: FlowGraph, edges: Edge[]): GraphProblem[] {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  const seen = new Set<string>();
  const todo = [flow.start, ...(flow.onError ? [flow.onError] : [])].filter((s) => flow.steps.has(s));
  while (todo.length) {
    const name = todo.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const next of out.get(name) ?? []) if (flow.steps.has(next)) todo.push(next);
  }
  if (!flow.steps.has(flow.start)) return [];
  return [...flow.steps.keys()]
    .filter((name) => !seen.has(name))
    .map((name) => ({
      path: ['steps', name],
      message: `unreachable: no transition leads here from the start step "${flow.start}"`,
    }));
}

/** Strongly connected components (Tarjan); each component that contains a cycle is a loop. */
function loopsWithoutInput(steps: ReadonlyMap<string, Step>, edges: Edge[]): GraphProblem[] {
  const out = new Map<string, string[]>();
  for (const e of edges) if (steps.has(e.to)) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.reverse());
    }
  };
  for (const name of steps.keys()) if (!index.has(name)) visit(name);

  const problems: GraphProblem[] = [];
  for (const component of components) {
    const cyclic = component.length > 1 || (out.get(component[0]!) ?? []).includes(component[0]!);
    if (!cyclic) continue;
    const waits = component.some((name) => verbNamed(steps.get(name)!.verb)?.waitsForCaller);
    if (waits) continue;
    const first = [...steps.keys()].find((n) => component.includes(n))!;
    problems.push({
      path: ['steps', first],
      message: `loop without caller input: ${cycleFrom(first, component, out).join(' → ')} (nothing in it waits for a key, speech or a queue; add a menu or gather, or end the loop)`,
    });
  }
  return problems;
}

/** The shortest cycle through `first` inside `component` (breadth-first), for the message. */
function cycleFrom(first: string, component: string[], out: Map<string, string[]>): string[] {
  const inside = new Set(component);
  const parent = new Map<string, string>();
  const queue = [first];
  while (queue.length) {
    const at = queue.shift()!;
    for (const next of out.get(at) ?? []) {
      if (!inside.has(next)) continue;
      if (next === first) {
        const path = [at];
        while (path[0] !== first) path.unshift(parent.get(path[0]!)!);
        return [...path, first];
      }
      if (parent.has(next) || next === first) continue;
      parent.set(next, at);
      queue.push(next);
    }
  }
  return [first, first];
}
