import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHotline } from '../../test/helpers/cli.js';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';

const fixture = fileURLToPath(new URL('../qa/fixtures/calls.jsonl', import.meta.url));

describe('hotline qa', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await testDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-qa-'));
  });
  afterAll(() => t.drop());

  it('analyses a JSONL file, one analysis per line, with a progress bar on stderr', async () => {
    const result = await runHotline(['qa', 'analyse', fixture]);
    expect(result.code).toBe(0);
    const analyses = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { callId: string; score: number });
    expect(analyses.map((a) => a.callId)).toEqual(['en-good', 'en-bad', 'zh-good', 'zh-bad', 'corpus-style']);
    expect(analyses[0]!.score).toBeGreaterThan(analyses[1]!.score);
    expect(result.stderr).toMatch(/analysing \[[=-]+\] 100%/);
    expect(result.stderr).toMatch(/analysed 5 call\(s\)/);
  });

  it('skips bad lines naming them, keeps the good ones, and exits 1', async () => {
    const file = path.join(dir, 'mixed.jsonl');
    const lines = readFileSync(fixture, 'utf8').split('\n').filter(Boolean);
    writeFileSync(file, [lines[0], '{"callId": "x", "segments": "none"}', 'not json', lines[2]].join('\n'));
    const result = await runHotline(['qa', 'analyse', file, '--no-progress']);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(/skipped line 2: segments: /);
    expect(result.stderr).toMatch(/skipped line 3: not JSON/);
  });

  it('stores the analyses and writes the period report from the database', async () => {
    const env = { HOTLINE_DATABASE_URL: t.url };
    const stored = await runHotline(
      ['qa', 'analyse', fixture, '--store', '--no-progress', '--out', path.join(dir, 'out.jsonl')],
      env,
    );
    expect(stored.code).toBe(0);
    const { rows } = await t.db.query("SELECT count(*)::int AS n FROM qa_calls WHERE source = 'import'");
    expect(rows[0].n).toBe(5);
    const report = await runHotline(
      ['qa', 'report', '--from', '2026-11-01', '--to', '2026-11-08', '--format', 'csv'],
      env,
    );
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/^call_id,started_at,agent/);
    expect(report.stdout).toMatch(/en-bad,2026-11-03T10:00:00.000Z,bob,billing/);
  });

  it('writes an HTML report of the batch', async () => {
    const html = path.join(dir, 'batch.html');
    const result = await runHotline([
      'qa',
      'analyse',
      fixture,
      '--no-progress',
      '--report',
      html,
      '--out',
      path.join(dir, 'o.jsonl'),
    ]);
    expect(result.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/<h1>QA report<\/h1>[\s\S]*<svg/);
  });
});
