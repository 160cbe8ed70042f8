import { describe, expect, it } from 'vitest';
import { callOf, outcomeOf } from '../test-helpers.js';

const rule = `
rules:
  - id: rude
    kind: forbidden
    phrases: { en: [that's not my problem, calm down], zh: [这不归我管] }
`;

describe('forbidden phrase rule', () => {
  it('fails on each forbidden phrase the agent says, in both languages, with every hit', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', 'Calm down, sir.'],
        ['agent', '这个不归我管。'],
        ['agent', 'ok'],
      ]),
    );
    expect(o.status).toBe('fail');
    expect(o.evidence.map((e) => e.seq)).toEqual([0, 1]);
  });

  it('ignores the phrase when the caller says it (the rule is about the agent)', () => {
    expect(outcomeOf(rule, callOf([['caller', "that's not my problem"]])).status).toBe('pass');
  });

  it('passes a near-miss that means something else', () => {
    expect(outcomeOf(rule, callOf([['agent', "That's not a problem at all, I'll fix it"]])).status).toBe(
      'pass',
    );
  });
});
