import { describe, expect, it } from 'vitest';
import { feelingsIn } from './feelings.js';
import { segmentSentiment } from './sentiment.js';

describe('feeling words', () => {
  it('counts the feelings among the words scored negative', () => {
    expect(feelingsIn(['late', 'frustrated', 'error'])).toBe(1);
    expect(feelingsIn(['担心', '慢'])).toBe(1);
  });

  it('does not count illness as a feeling ("my husband is sick")', () => {
    expect(feelingsIn(['sick'])).toBe(0);
    expect(segmentSentiment('My husband is sick, can we move the flight to Friday?').anger).toBeLessThan(0.6);
  });

  it('does not count a negated feeling: "not worried", 不担心', () => {
    expect(segmentSentiment('Honestly I am not worried about the refund').anger).toBeLessThan(0.3);
    expect(segmentSentiment('退款的事我一点都不担心').anger).toBeLessThan(0.3);
  });
});
