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
