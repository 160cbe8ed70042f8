import { describe, expect, it } from 'vitest';
import { callOf, outcomeOf } from '../test-helpers.js';

const rule = `
rules:
  - id: recorded
    kind: disclosure
    withinSeconds: 30
    phrases: { en: [this call may be recorded], zh: [本次通话可能会被录音] }
`;

describe('disclosure rule', () => {
  it('passes an English disclosure with slightly different wording', () => {
    expect(outcomeOf(rule, callOf([['agent', 'Please note this call might be recorded.']])).status).toBe(
      'pass',
    );
  });

  it('passes the Chinese disclosure', () => {
    expect(outcomeOf(rule, callOf([['agent', '您好，本次通话可能会被录音。']])).status).toBe('pass');
  });

  it('fails a disclosure said too late', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', 'hi', 0],
        ['agent', 'this call may be recorded', 45],
      ]),
    );
    expect(o.status).toBe('fail');
    expect(o.evidence[0]).toMatchObject({ seq: 1, atMs: 45_000, note: 'late' });
  });

  it('fails when the call is said not to be recorded ("本次通话不会被录音")', () => {
    expect(outcomeOf(rule, callOf([['agent', '本次通话不会被录音']])).status).toBe('fail');
  });
});
