import { describe, expect, it } from 'vitest';
import { withoutPoliteness } from './politeness.js';

describe('politeness formulas', () => {
  it('removes "sorry to bother you" and "thanks in advance" but keeps the request', () => {
    const text = withoutPoliteness('Sorry to bother you, where is my refund? Thanks in advance');
    expect(text).not.toMatch(/bother|advance/i);
    expect(text).toMatch(/where is my refund/);
  });

  it('removes self-deprecation about the question, not an insult about it', () => {
    expect(withoutPoliteness('This may be a silly question, but can I bring a pram?')).not.toMatch(/silly/);
    expect(withoutPoliteness('That is a stupid question')).toMatch(/stupid question/);
  });

  it('removes 不好意思 and 打扰一下 in Chinese', () => {
    expect(withoutPoliteness('不好意思打扰一下，我的订单到哪了')).not.toMatch(/不好意思|打扰/);
  });

  it('removes "I\'m afraid" as a softener but keeps it as a fear', () => {
    expect(withoutPoliteness("I'm afraid the flight is full")).not.toMatch(/afraid/);
    expect(withoutPoliteness("I'm afraid of flying on my own")).toMatch(/afraid of flying/);
  });
});
