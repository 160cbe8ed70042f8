import { describe, expect, it } from 'vitest';
import { callOf, outcomeOf } from '../test-helpers.js';

const rule = `
synonyms: [[thank you, thanks], [您好, 你好]]
rules:
  - id: greeting
    kind: greeting
    withinSeconds: 10
    phrases: { en: [thank you for calling], zh: [您好 很高兴为您服务] }
`;

describe('greeting rule', () => {
  it('passes an English greeting said in other words within the window, pointing at the segment', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['caller', 'hello?'],
        ['agent', 'Thanks so much for calling, how can I help?'],
      ]),
    );
    expect(o.status).toBe('pass');
    expect(o.evidence[0]).toMatchObject({ seq: 1, party: 'agent', atMs: 3500 });
  });

  it('passes a Chinese greeting in traditional characters with 你 for 您', () => {
    const o = outcomeOf(rule, callOf([['agent', '你好，很高興為你服務']]));
    expect(o.status).toBe('pass');
  });

  it('fails a greeting that comes after the window, saying it was late', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', 'Yes?', 0],
        ['agent', 'Thank you for calling', 15],
      ]),
    );
    expect(o.status).toBe('fail');
    expect(o.reason).toMatch(/15\.0 s/);
    expect(o.evidence[0]!.note).toBe('late');
  });

  it('fails a near-miss wording and points at the first agent words', () => {
    const o = outcomeOf(
      rule,
      callOf([
        ['agent', 'Thank you for nothing'],
        ['agent', '喂，说吧'],
      ]),
    );
    expect(o.status).toBe('fail');
    expect(o.evidence[0]!.seq).toBe(0);
  });

  it('does not apply when the agent never spoke', () => {
    expect(outcomeOf(rule, callOf([['caller', 'hello?']])).status).toBe('not-applicable');
  });
});
