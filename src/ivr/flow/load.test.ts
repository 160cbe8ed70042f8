import { describe, expect, it } from 'vitest';
import { formatProblem, type FlowProblem } from '../errors.js';
import { defaultLanguages } from '../languages.js';
import { parseFlow } from './load.js';

const languages = Object.keys(defaultLanguages);

function problems(yaml: string): FlowProblem[] {
  const result = parseFlow(yaml, 'flows/bad.yaml', { languages });
  if (result.ok) throw new Error('expected the flow to be rejected');
  return result.problems;
}

function messages(yaml: string): string[] {
  return problems(yaml).map(formatProblem);
}

const good = `
name: good
start: welcome
steps:
  welcome:
    verb: say
    text: { en: Welcome, zh: 欢迎 }
    next: menu
  menu:
    verb: menu
    prompt: Press 1 for sales
    options:
      "1": { next: bye }
    fallback: bye
  bye:
    verb: hangup
`;

describe('flow validation', () => {
  it('accepts a valid flow and fills in defaults', () => {
    const result = parseFlow(good, 'flows/good.yaml', { languages });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.flow.name).toBe('good');
    expect(result.flow.version).toMatch(/^[0-9a-f]{12}$/);
    const menu = result.flow.steps.get('menu');
    expect(menu).toMatchObject({ verb: 'menu', timeout: 5, retries: 2, bargeIn: true });
  });

  it('names the file and line of a YAML syntax error', () => {
    const [p] = problems('start: a\nsteps:\n  a: {verb: hangup\n');
    expect(p!.file).toBe('flows/bad.yaml');
    expect(p!.line).toBeGreaterThan(0);
    expect(p!.message).toMatch(/^not valid YAML/);
  });

  it('rejects a flow without start or steps, and unknown top-level fields', () => {
    const list = messages('stepz: {}\n');
    expect(list).toContain(
      'flows/bad.yaml:1: start: missing (Invalid input: expected string, received undefined)',
    );
    expect(list.some((m) => m.startsWith('flows/bad.yaml:1: steps: missing'))).toBe(true);
    expect(list.some((m) => m.endsWith('unknown field "stepz"'))).toBe(true);
  });

  it('says which step has no verb and which verbs exist', () => {
    const [p] = problems('start: a\nsteps:\n  a:\n    next: b\n');
    expect(p!.path).toBe('steps.a');
    expect(p!.line).toBe(3);
    expect(p!.message).toMatch(/^missing verb: one of answer, play, say, menu, gather/);
  });

  it('rejects an unknown verb with the step path', () => {
    const [p] = problems('start: a\nsteps:\n  a:\n    verb: anser\n');
    expect(formatProblem(p!)).toMatch(
      /^flows\/bad\.yaml:4: steps\.a\.verb: unknown verb "anser": one of answer,/,
    );
  });

  it('reports wrong types, unknown fields and missing fields inside a step', () => {
    const list = problems(`
start: m
steps:
  m:
    verb: menu
    prompt: hi
    timeout: -2
    colour: blue
    options:
      "1": { nxt: m }
      "12": { next: m }
`);
    const byPath = Object.fromEntries(list.map((p) => [p.path, p.message]));
    expect(byPath['steps.m.timeout']).toMatch(/too small/i);
    expect(byPath['steps.m']).toMatch(/unknown field "colour"/);
    expect(byPath['steps.m.options.1.next']).toMatch(/^missing/);
    expect(byPath['steps.m.options.1']).toMatch(/unknown field "nxt"/);
    expect(byPath['steps.m.options.12']).toMatch(/a menu key is one of 0-9 \* #/);
    expect(byPath['steps.m.fallback']).toMatch(/^missing/);
    expect(list.find((p) => p.path === 'steps.m.timeout')!.line).toBe(7);
  });

  it('rejects a transition to a step that does not exist, suggesting the closest name', () => {
    const [p] = problems(good.replace('"1": { next: bye }', '"1": { next: by }'));
    expect(p!.path).toBe('steps.menu.options.1.next');
    expect(p!.message).toBe('"by" is not a step of this flow (did you mean "bye"?)');
    expect(p!.line).toBe(13);
  });

  it('rejects a start step that does not exist', () => {
    const [p] = problems(good.replace('start: welcome', 'start: hello'));
    expect(p!.path).toBe('start');
    expect(p!.message).toMatch(/"hello" is not a step of this flow/);
  });

  it('rejects unreachable steps', () => {
    const list = problems(`${good}  orphan:\n    verb: hangup\n`);
    expect(list).toHaveLength(1);
    expect(list[0]!.path).toBe('steps.orphan');
    expect(list[0]!.message).toBe('unreachable: no transition leads here from the start step "welcome"');
  });

  it('rejects a loop in which nothing waits for the caller', () => {
    const list = problems(`
start: count
steps:
  count:
    verb: set
    vars: { n: 1 }
    next: check
  check:
    verb: branch
    when:
      - if: { var: n, equals: 2 }
        next: done
    otherwise: count
  done:
    verb: hangup
`);
    expect(list).toHaveLength(1);
    expect(list[0]!.path).toBe('steps.count');
    expect(list[0]!.message).toMatch(/^loop without caller input: count → check → count/);
  });

  it('rejects a step that loops to itself without input', () => {
    const [p] = problems('start: a\nsteps:\n  a:\n    verb: say\n    text: hi\n    next: a\n');
    expect(p!.message).toMatch(/^loop without caller input: a → a/);
  });

  it('accepts a loop that goes through a menu (the caller chooses to go round)', () => {
    const yaml = good.replace('"1": { next: bye }', '"1": { next: bye }\n      "9": { next: welcome }');
    expect(parseFlow(yaml, 'f.yaml', { languages }).ok).toBe(true);
  });

  it('rejects a language that is not configured', () => {
    const list = problems(`${good}language: fr\n`);
    expect(list.map((p) => [p.path, p.message])).toEqual([
      ['language', '"fr" is not a configured language (ivr.languages has zh, en)'],
    ]);
    const [p] = problems(
      good
        .replace('    next: menu', '    next: lang')
        .concat('  lang:\n    verb: language\n    set: de\n    next: menu\n'),
    );
    expect(p!.path).toBe('steps.lang.set');
  });

  it('refuses to let a flow set the variables the IVR fills itself', () => {
    const [p] = problems(
      'start: a\nsteps:\n  a:\n    verb: set\n    vars: { caller.number: "1" }\n    next: b\n  b:\n    verb: hangup\n',
    );
    expect(p!.path).toBe('steps.a.vars.caller.number');
    expect(p!.message).toMatch(/filled by the IVR/);
  });

  it('checks conditions, hours and prompts deeply', () => {
    const list = problems(`
start: h
steps:
  h:
    verb: hours
    timezone: Mars/Olympus
    weekly: { mon-fry: "09:00-18:00", sat: "18:00-09:00" }
    open: b
    closed: b
  b:
    verb: branch
    when:
      - if: { var: tier }
        next: s
      - if: { caller: { startsWith: "+86" }, language: zh }
        next: s
    otherwise: s
  s:
    verb: say
    text: {}
    next: p
  p:
    verb: play
    media: hello-world
`);
    const paths = list.map((p) => p.path);
    expect(paths).toContain('steps.h.timezone');
    expect(paths).toContain('steps.h.weekly.mon-fry');
    expect(paths).toContain('steps.h.weekly.sat');
    expect(paths).toContain('steps.b.when.0.if');
    expect(paths).toContain('steps.b.when.1.if');
    expect(paths).toContain('steps.p.media.0');
  });
});
