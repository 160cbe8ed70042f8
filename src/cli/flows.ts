// `hotline flows validate <file...>` and `hotline flows graph <file>`: check flow files before
// they go live, and draw them (Mermaid or Graphviz DOT).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { HotlineConfig } from '../config.js';
import { flowFilesIn, formatProblem, loadFlowFiles, renderFlow, type GraphFormat } from '../ivr/index.js';

/** Files named, plus folders expanded to their flow files. */
function expand(paths: string[]): string[] {
  return paths.flatMap((p) => (existsSync(p) && statSync(p).isDirectory() ? flowFilesIn(p) : [p]));
}

/**
 * Validates `paths`. Other flows in the same folders are loaded too, so goto/subflow references
 * to them resolve; only problems of the files asked about are reported.
 */
export function validateFlows(paths: string[], config: HotlineConfig): { ok: boolean; lines: string[] } {
  const asked = expand(paths).map((f) => path.resolve(f));
  const siblings = [...new Set(asked.map((f) => path.dirname(f)))]
    .flatMap(flowFilesIn)
    .map((f) => path.resolve(f));
  const all = [...new Set([...asked, ...siblings])];
  const { flows, problems } = loadFlowFiles(all, { languages: Object.keys(config.ivr.languages) });
  const lines: string[] = [];
  const relative = (f: string) => path.relative(process.cwd(), f) || f;
  let ok = true;
  for (const file of asked) {
    const mine = problems.filter((p) => path.resolve(p.file) === file);
    if (mine.length) {
      ok = false;
      for (const p of mine) lines.push(`✗ ${formatProblem({ ...p, file: relative(p.file) })}`);
      continue;
    }
    const flow = [...flows.values()].find((f) => path.resolve(f.file) === file);
    if (flow)
      lines.push(
        `✓ ${relative(file)}: flow "${flow.name}", ${flow.steps.size} steps, starts at "${flow.start}"`,
      );
  }
  return { ok, lines };
}

export function registerFlowsCommands(program: Command, configOrExit: () => HotlineConfig): void {
  const flows = program.command('flows').description('IVR flow files: validate and draw');

  flows
    .command('validate')
    .description('check flow files (YAML, every step, transitions, unreachable steps, loops without input)')
    .argument('<files...>', 'flow files or folders of them')
    .action((files: string[]) => {
      const { ok, lines } = validateFlows(files, configOrExit());
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exitCode = ok ? 0 : 1;
    });

  flows
    .command('graph')
    .description('draw a flow as a Mermaid flowchart or a Graphviz DOT graph')
    .argument('<file>', 'flow file')
    .option('-f, --format <format>', 'mermaid or dot', 'mermaid')
    .action((file: string, options: { format: string }) => {
      if (options.format !== 'mermaid' && options.format !== 'dot') {
        process.stderr.write(`hotline flows graph: --format is mermaid or dot, not "${options.format}"\n`);
        process.exitCode = 2;
        return;
      }
      const result = graphFlow(file, options.format, configOrExit());
      if (result.ok) process.stdout.write(result.output);
      else process.stderr.write(`${result.lines.join('\n')}\n`);
      process.exitCode = result.ok ? 0 : 1;
    });
}

/** The drawing of the flow in `file` (other flows of its folder resolve its subflows). */
export function graphFlow(
  file: string,
  format: GraphFormat,
  config: HotlineConfig,
): { ok: true; output: string } | { ok: false; lines: string[] } {
  const absolute = path.resolve(file);
  const siblings = flowFilesIn(path.dirname(absolute)).map((f) => path.resolve(f));
  const { flows, problems } = loadFlowFiles([...new Set([absolute, ...siblings])], {
    languages: Object.keys(config.ivr.languages),
  });
  const flow = [...flows.values()].find((f) => path.resolve(f.file) === absolute);
  if (flow) return { ok: true, output: renderFlow(flow, format) };
  const mine = problems.filter((p) => path.resolve(p.file) === absolute);
  const shown = (mine.length ? mine : problems).map((p) => ({
    ...p,
    file: path.relative(process.cwd(), p.file) || p.file,
  }));
  return { ok: false, lines: shown.map((p) => `✗ ${formatProblem(p)}`) };
}
