import { describe, expect, it } from 'vitest';
import { compileRuleFiles, loadRules, QaRulesError } from './load.js';

function problemsOf(files: { file: string; text: string }[]): string[] {
  try {
    compileRuleFiles(files);
  } catch (err) {
    if (err instanceof QaRulesError) return err.problems;
    throw err;
  }
  throw new Error('expected QaRulesError');
}

describe('rule files', () => {
  it('loads the shipped default rules', () => {
    const set = loadRules(new URL('../../../qa', import.meta.url).pathname);
    expect(set.rules.map((r) => r.kind)).toEqual(
      expect.arrayContaining([
        'greeting',
        'verification',
        'closing',
        'disclosure',
        'forbidden',
        'agent-tone',
      ]),
    );
  });

  it('names the file and field of a bad value', () => {
    const problems = problemsOf([
      {
        file: 'a.yaml',
        text: 'rules:\n  - id: g\n    kind: greeting\n    withinSeconds: soon\n    phrases: [hi]\n',
      },
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^a\.yaml: rules\.0\.withinSeconds: /);
  });

  it('lists the kinds when a kind is unknown, and reports every problem at once', () => {
    const problems = problemsOf([
      { file: 'a.yaml', text: 'rules:\n  - id: x\n    kind: sarcasm\n  - id: y\n    kind: closing\n' },
    ]);
    expect(problems[0]).toMatch(/a\.yaml: rules\.0\.kind: unknown rule kind "sarcasm"; one of greeting, /);
    expect(problems[1]).toMatch(/a\.yaml: rules\.1\.phrases: /);
  });

  it('refuses the same rule id in two files', () => {
    const rule = 'rules:\n  - id: same\n    kind: forbidden\n    phrases: [x]\n';
    expect(
      problemsOf([
        { file: 'a.yaml', text: rule },
        { file: 'b.yaml', text: rule },
      ])[0],
    ).toMatch(/b\.yaml: rules\.0\.id: rule id "same" is already used in a\.yaml/);
  });

  it('says a file is not YAML', () => {
    expect(problemsOf([{ file: 'bad.yaml', text: 'rules: [\n' }])[0]).toMatch(/^bad\.yaml: not valid YAML/);
  });

  it('says which folder it cannot read', () => {
    expect(() => loadRules('/nonexistent/qa')).toThrow(/\/nonexistent\/qa: cannot read the rules folder/);
  });
});
