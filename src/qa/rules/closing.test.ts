import { describe, expect, it } from 'vitest';
import { callOf, outcomeOf } from '../test-helpers.js';

const rule = `
synonyms: [[什么, 其他], [help, assist]]
rules:
  - id: closing
    kind: closing
    lastSegments: 2
    phrases: { en: [is there anything else I can help you with], zh: [请问还有什么可以帮您] }
`;

describe('closing rule', () => {
  it('passes an English offer of further help in other words at the end', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', 'Done.'],
        ['caller', 'great'],
        ['agent', 'Is there anything else that I can assist you with today?'],
      ]),
    );
    expect(o.status).toBe('pass');
    expect(o.evidence[0]!.seq).toBe(2);
  });

  it('passes the Chinese offer with 其他 for 什么', () => {
    expect(
      outcomeOf(
        rule,
        callOf([
          ['agent', '好的'],
          ['agent', '请问还有其他可以帮您的吗'],
        ]),
      ).status,
    ).toBe('pass');
  });

  it('fails when the offer was made early but not when closing', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', '请问还有什么可以帮您'],
        ['agent', '好的'],
        ['agent', '一'],
        ['agent', '再见'],
      ]),
    );
    expect(o.status).toBe('fail');
    expect(o.reason).toMatch(/not in the last 2/);
    expect(o.evidence[0]!.seq).toBe(3);
  });

  it('fails a negated offer ("there is nothing else I can help you with")', () => {
    const o = outcomeOf(rule, callOf([['agent', "is there anything else I can't help you with"]]));
    expect(o.status).toBe('fail');
  });
});
