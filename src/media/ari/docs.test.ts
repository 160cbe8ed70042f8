import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from './declarations.js';
import { EVENT_TYPES } from './models.js';

const doc = readFileSync(new URL('../../../docs/ari-compatibility.md', import.meta.url), 'utf8');

describe('docs/ari-compatibility.md', () => {
  it('lists every operation the server declares', () => {
    const missing = OPERATIONS.filter(
      (o) => !doc.includes(`| ${o.resource} | \`${o.nickname}\` | ${o.method} | \`${o.path}\` |`),
    );
    expect(missing.map((o) => `${o.resource}.${o.nickname}`)).toEqual([]);
  });

  it('names every event type the server sends', () => {
    expect(EVENT_TYPES.filter((t) => !doc.includes(t))).toEqual([]);
  });
});

describe('the events the core sends', () => {
  it('are all declared in the events API (ari-client fails on an undeclared event type)', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = new URL('../core/', import.meta.url);
    const sent = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      for (const m of text.matchAll(
        /(?:publishChannel\([^,]+,\s*|eventBody\(|publishDial)'?([A-Z][A-Za-z]+)'/g,
      ))
        sent.add(m[1]!);
      for (const m of text.matchAll(/return '(Playback[A-Za-z]+)'/g)) sent.add(m[1]!);
      for (const m of text.matchAll(/publishRecording\(core, rec, '([A-Za-z]+)'\)/g)) sent.add(m[1]!);
    }
    expect(sent.size).toBeGreaterThan(20);
    expect([...sent].filter((t) => !EVENT_TYPES.includes(t))).toEqual([]);
  });
});
