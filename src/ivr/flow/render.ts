// Draws a flow: Mermaid (renders on GitHub and in most Markdown viewers) or Graphviz DOT.
// Steps that wait for the caller are drawn as rounded nodes, the end of the call as a circle.
import { verbNamed } from '../verbs/index.js';
import type { Flow } from './flow.js';
import { edgesOf } from './graph.js';

export type GraphFormat = 'mermaid' | 'dot';

function stepLabel(name: string, verb: string, description?: string): string {
  return description ? `${name}\n${verb}: ${description}` : `${name}\n${verb}`;
}

const mermaidText = (s: string) => s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');

export function toMermaid(flow: Flow): string {
  const ids = new Map([...flow.steps.keys()].map((name, i) => [name, `s${i}`]));
  const lines = ['flowchart TD', `  start(["${mermaidText(flow.name)}"]) --> ${ids.get(flow.start)}`];
  for (const [name, step] of flow.steps) {
    const label = mermaidText(stepLabel(name, step.verb, step.description));
    const waits = verbNamed(step.verb)?.waitsForCaller;
    const shape = step.verb === 'hangup' ? `(("${label}"))` : waits ? `("${label}")` : `["${label}"]`;
    lines.push(`  ${ids.get(name)}${shape}`);
  }
  for (const e of edgesOf(flow.steps)) {
    const to = ids.get(e.to);
    if (!to) continue;
    const label = e.label ? ` -- "${mermaidText(e.label)}" -->` : ' -->';
    lines.push(`  ${ids.get(e.from)}${label} ${to}`);
  }
  return `${lines.join('\n')}\n`;
}

const dotText = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function toDot(flow: Flow): string {
  const lines = [
    `digraph "${dotText(flow.name)}" {`,
    '  rankdir=TB;',
    '  node [shape=box, fontname="Helvetica"];',
    `  "__start" [label="${dotText(flow.name)}", shape=oval];`,
    `  "__start" -> "${dotText(flow.start)}";`,
  ];
  for (const [name, step] of flow.steps) {
    const waits = verbNamed(step.verb)?.waitsForCaller;
    const shape = step.verb === 'hangup' ? 'doublecircle' : waits ? 'box, style=rounded' : 'box';
    lines.push(
      `  "${dotText(name)}" [label="${dotText(stepLabel(name, step.verb, step.description))}", shape=${shape}];`,
    );
  }
  for (const e of edgesOf(flow.steps)) {
    if (!flow.steps.has(e.to)) continue;
    const label = e.label ? ` [label="${dotText(e.label)}"]` : '';
    lines.push(`  "${dotText(e.from)}" -> "${dotText(e.to)}"${label};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export function renderFlow(flow: Flow, format: GraphFormat): string {
  return format === 'dot' ? toDot(flow) : toMermaid(flow);
}
