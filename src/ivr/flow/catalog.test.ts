import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { FlowError } from '../errors.js';
import { defaultLanguages } from '../languages.js';
import { FlowCatalog, type ReloadResult } from './catalog.js';

const good = (text: string) => `start: hi\nsteps:\n  hi:\n    verb: say\n    text: ${text}\n`;
const broken = 'start: hi\nsteps:\n  hi:\n    verb: say\n    next: nowhere\n';

let dir: string;
let reloads: ReloadResult[];
let catalog: FlowCatalog;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hotline-catalog-'));
  reloads = [];
  catalog = new FlowCatalog(dir, {
    languages: Object.keys(defaultLanguages),
    log: silentLogger,
    onReload: (_f, r) => reloads.push(r),
  });
});
afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
const sayText = (name: string) => (catalog.get(name)?.steps.get('hi') as { text?: string } | undefined)?.text;

describe('the flow catalog', () => {
  it('refuses to start with a bad flow, listing each problem with its file', () => {
    write('a.yaml', good('A'));
    write('b.yaml', broken);
    expect(() => catalog.loadAll()).toThrow(FlowError);
    try {
      catalog.loadAll();
    } catch (err) {
      const problems = (err as FlowError).problems;
      // the graph (next: nowhere) is checked once every step is well-formed
      expect(problems.map((p) => [path.basename(p.file), p.path])).toEqual([['b.yaml', 'steps.hi.text']]);
    }
  });

  it('keeps the running version when a changed file is invalid, and takes the fixed one', () => {
    write('a.yaml', good('first'));
    catalog.loadAll();
    const held = catalog.snapshot();
    write('a.yaml', broken);
    const refused = catalog.reload(path.join(dir, 'a.yaml'));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.kept?.name).toBe('a');
    expect(sayText('a')).toBe('first');
    write('a.yaml', good('second'));
    expect(catalog.reload(path.join(dir, 'a.yaml'))).toMatchObject({ ok: true, replaced: true });
    expect(sayText('a')).toBe('second');
    // a call that started before the change still has the old version
    expect((held.get('a')!.steps.get('hi') as { text: string }).text).toBe('first');
  });

  it('takes new files, drops removed ones, and refuses a second flow of the same name', () => {
    write('a.yaml', good('A'));
    catalog.loadAll();
    write('b.yaml', good('B'));
    expect(catalog.reload(path.join(dir, 'b.yaml'))).toMatchObject({ ok: true, replaced: false });
    write('c.yaml', `name: a\n${good('C')}`);
    const dup = catalog.reload(path.join(dir, 'c.yaml'));
    expect(!dup.ok && dup.problems[0]!.message).toMatch(/flow "a" is already defined in/);
    unlinkSync(path.join(dir, 'b.yaml'));
    expect(catalog.reload(path.join(dir, 'b.yaml'))).toEqual({ ok: true, removed: 'b' });
    expect(catalog.names().sort()).toEqual(['a']);
  });

  it('refuses a flow whose subflow does not exist', () => {
    write('a.yaml', good('A'));
    catalog.loadAll();
    write('b.yaml', 'start: s\nsteps:\n  s:\n    verb: subflow\n    flow: missing\n');
    const result = catalog.reload(path.join(dir, 'b.yaml'));
    expect(!result.ok && result.problems[0]).toMatchObject({ path: 'steps.s.flow' });
    expect(!result.ok && result.problems[0]!.message).toMatch(/no flow named "missing" \(flows: a, b\)/);
  });

  it('reloads a file by itself when it changes on disk (hot reload)', async () => {
    write('a.yaml', good('before'));
    catalog.loadAll();
    catalog.watch();
    write('a.yaml', broken);
    for (let i = 0; i < 200 && reloads.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(reloads[0]).toMatchObject({ ok: false });
    expect(sayText('a')).toBe('before');
    write('a.yaml', good('after'));
    for (let i = 0; i < 200 && sayText('a') !== 'after'; i++) await new Promise((r) => setTimeout(r, 25));
    expect(sayText('a')).toBe('after');
  });
});
