import { describe, expect, it } from 'vitest';
import { bestMatch, Phrase, prepareText, Synonyms } from './match.js';

const synonyms = new Synonyms([
  ['thank you', 'thanks'],
  ['help', 'assist'],
  ['什么', '其他'],
]);
const match = (phrase: string, text: string) =>
  new Phrase(phrase, synonyms).matchIn(prepareText(text, synonyms));

describe('tolerant phrase matching', () => {
  it('matches a synonym and an inflection as the same wording', () => {
    expect(match('thank you for calling', 'Thanks for calling Acme!')!.similarity).toBe(1);
  });

  it('tolerates filler words inside the phrase', () => {
    expect(
      match('thank you for calling', 'Thank you so much for calling')!.similarity,
    ).toBeGreaterThanOrEqual(0.8);
  });

  it('does not take a near-miss wording for the phrase', () => {
    expect(match('thank you for calling', 'thank you for nothing')!.similarity).toBeLessThan(0.8);
  });

  it('tolerates a misspelt word from the recogniser', () => {
    expect(
      match('verify your identity', 'can you verifiy your identity please')!.similarity,
    ).toBeGreaterThanOrEqual(0.8);
  });

  it('marks "not happy" and "不满意" as negated mentions', () => {
    expect(match('happy', 'I am not very happy')!.negated).toBe(true);
    expect(match('满意', '我对这个服务不满意')!.negated).toBe(true);
    expect(match('满意', '我对这个服务很满意')!.negated).toBe(false);
  });

  it('marks a negator inside the matched words as negated ("I can\'t help you")', () => {
    const hit = match(
      'is there anything else I can help you with',
      "is there anything else I can't help you with",
    );
    expect(hit!.negated).toBe(true);
  });

  it('matches traditional and full-width Chinese against a simplified phrase', () => {
    expect(match('请问还有什么可以帮您', '請問還有其他可以幫您的嗎？')!.similarity).toBe(1);
    expect(match('ABC123', 'ＡＢＣ１２３')!.similarity).toBe(1);
  });

  it('finds the best phrase of several and skips negated hits', () => {
    const phrases = ['glad to help', 'happy to help'].map((p) => new Phrase(p, synonyms));
    expect(bestMatch(phrases, prepareText('I am happy to assist', synonyms), 0.8)!.phrase).toBe(
      'happy to help',
    );
    expect(bestMatch(phrases, prepareText('I am not happy to help', synonyms), 0.8)).toBeNull();
  });
});
