import { describe, expect, it } from 'vitest';
import { callOf, outcomeOf } from '../test-helpers.js';

const rule = `
rules:
  - id: tone
    kind: agent-tone
    maxNegativeShare: 0.25
`;

describe('agent tone rule', () => {
  it('fails an agent who sounds negative in English, pointing at the segment', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', 'This is a stupid, ridiculous question. Terrible.'],
        ['agent', 'Whatever.'],
      ]),
    );
    expect(o.status).toBe('fail');
    expect(o.evidence[0]!.seq).toBe(0);
  });

  it('fails an agent who sounds negative in Chinese', () => {
    expect(
      outcomeOf(
        rule,
        callOf([
          ['agent', '你烦不烦啊，真是垃圾问题，无语'],
          ['agent', '嗯'],
        ]),
      ).status,
    ).toBe('fail');
  });

  it('passes apologies: "sorry for the inconvenience" and "抱歉给您带来不便" are politeness', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', 'Sorry for the inconvenience.'],
        ['agent', '非常抱歉给您带来不便'],
      ]),
    );
    expect(o.status).toBe('pass');
  });

  it('passes "not bad at all" (a negated negative word)', () => {
    expect(outcomeOf(rule, callOf([['agent', 'That is not bad at all']])).status).toBe('pass');
  });
});
