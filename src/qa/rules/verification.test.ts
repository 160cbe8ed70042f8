import { describe, expect, it } from 'vitest';
import { callOf, outcomeOf } from '../test-helpers.js';

const rule = `
rules:
  - id: verify
    kind: verification
    verification: { en: [verify your identity, date of birth], zh: [核实您的身份, 身份证后四位] }
    accountDetails: { en: [your balance is], zh: [您的余额] }
`;

describe('verification rule', () => {
  it('passes when identity is verified before the balance, in English', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', 'Can I have your date of birth?'],
        ['caller', 'May 5th'],
        ['agent', 'Your balance is 40 dollars'],
      ]),
    );
    expect(o.status).toBe('pass');
    expect(o.evidence.map((e) => e.seq)).toEqual([0, 2]);
  });

  it('fails when the balance comes before any verification, in Chinese, pointing at the details', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', '您的余额是五十元'],
        ['agent', '请报一下身份证后四位'],
      ]),
    );
    expect(o.status).toBe('fail');
    expect(o.reason).toMatch(/only later/);
    expect(o.evidence[0]).toMatchObject({ seq: 0, note: 'account details' });
  });

  it('fails when details are given with no verification at all', () => {
    const o = outcomeOf(rule, callOf([['agent', 'your balance is 12 pounds']]));
    expect(o.status).toBe('fail');
    expect(o.reason).toMatch(/without any identity verification/);
  });

  it('does not count a negated verification ("I will not verify your identity")', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', "I won't verify your identity"],
        ['agent', 'your balance is 12 pounds'],
      ]),
    );
    expect(o.status).toBe('fail');
  });

  it('does not apply to a call where no account detail came up', () => {
    expect(
      outcomeOf(
        rule,
        callOf([
          ['agent', '您好'],
          ['caller', '发票开错了'],
        ]),
      ).status,
    ).toBe('not-applicable');
  });
});
