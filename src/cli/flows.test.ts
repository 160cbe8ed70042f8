import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHotline } from '../../test/helpers/cli.js';
import { configSchema } from '../config.js';
import { graphFlow, validateFlows } from './flows.js';

const config = configSchema.parse({});
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hotline-flows-cli-'));
  writeFileSync(
    path.join(dir, 'broken.yaml'),
    [
      'start: menu',
      'steps:',
      '  menu:',
      '    verb: menu',
      '    prompt: Press 1',
      '    options:',
      '      "1": { next: sales }',
      '    fallback: menu',
      '  orphan:',
      '    verb: hangup',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'main.yaml'),
    'start: sub\nsteps:\n  sub:\n    verb: subflow\n    flow: helper\n    next: bye\n  bye:\n    verb: hangup\n',
  );
  writeFileSync(path.join(dir, 'helper.yaml'), 'start: hi\nsteps:\n  hi:\n    verb: say\n    text: Hi\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hotline flows', () => {
  it('validate: lists every problem with file, line and step path, and exits 1 (the real command)', async () => {
    const result = await runHotline(['flows', 'validate', 'flows/demo.yaml', path.join(dir, 'broken.yaml')]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^✓ flows\/demo\.yaml: flow "demo", \d+ steps, starts at "answer"$/);
    expect(lines[1]).toMatch(
      /✗ .*broken\.yaml:7: steps\.menu\.options\.1\.next: "sales" is not a step of this flow/,
    );
    expect(lines[2]).toMatch(/✗ .*broken\.yaml:9: steps\.orphan: unreachable/);
    expect(lines).toHaveLength(3);
  });

  it('validate: the demo hotline passes', () => {
    expect(validateFlows(['flows/demo.yaml'], config).ok).toBe(true);
  });

  it('validate: subflows resolve against the other flows of the folder', () => {
    const result = validateFlows([path.join(dir, 'main.yaml'), path.join(dir, 'helper.yaml')], config);
    expect(result.lines.map((l) => l.slice(0, 1))).toEqual(['✓', '✓']);
    expect(result.ok).toBe(true);
  });

  it('graph: draws a flow as Mermaid and as DOT (the real command for DOT)', async () => {
    const mermaid = graphFlow('flows/demo.yaml', 'mermaid', config);
    expect(mermaid.ok && mermaid.output).toMatch(/^flowchart TD\n {2}start\(\["demo"\]\) --> s0\n/);
    expect(mermaid.ok && mermaid.output).toMatch(/ -- "1" --> /);
    const dot = await runHotline(['flows', 'graph', '--format', 'dot', 'flows/demo.yaml']);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "demo" \{/);
    expect(dot.stdout).toContain('"main-menu" -> "tech-menu" [label="1"];');
  });

  it('graph: refuses a broken flow', () => {
    const broken = graphFlow(path.join(dir, 'broken.yaml'), 'mermaid', config);
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.lines[0]).toMatch(/"sales" is not a step/);
  });
});
