import { describe, expect, it } from 'vitest';
import { isPlainQuestion } from './questions.js';

describe('plain questions', () => {
  it('takes a question asking for information as plain', () => {
    expect(isPlainQuestion('is a short layover a problem', '?', false)).toBe(true);
  });

  it('takes an English question without its question mark as plain', () => {
    expect(isPlainQuestion('could the charger be faulty', '', false)).toBe(true);
    expect(isPlainQuestion('how do i reset the router', '.', false)).toBe(true);
    expect(isPlainQuestion('the charger could be faulty', '', false)).toBe(false);
  });

  it('does not take a complaining "why" question as plain', () => {
    expect(isPlainQuestion('why is my bill so high again', '?', false)).toBe(false);
  });

  it('counts every Chinese question in full: rhetorical questions need no marker word', () => {
    expect(isPlainQuestion('这就是你们的服务', '？', true)).toBe(false);
    expect(isPlainQuestion('退货运费谁出', '?', true)).toBe(false);
  });

  it('does not take a statement or an exclaimed question as plain', () => {
    expect(isPlainQuestion('the parcel is late', '.', false)).toBe(false);
    expect(isPlainQuestion('is this a joke', '?!', false)).toBe(false);
  });
});
