import { describe, expect, it } from 'vitest';
import { segmentSentiment } from './sentiment.js';

describe('segment sentiment', () => {
  it('scores English with AFINN and flips a negated word ("not happy")', () => {
    expect(segmentSentiment('I am happy with the service').valence).toBeGreaterThan(0.3);
    expect(segmentSentiment('I am not happy with the service').valence).toBeLessThan(-0.3);
  });

  it('scores Chinese with the project lexicon and flips a negated word ("不满意")', () => {
    expect(segmentSentiment('我对这个服务很满意').valence).toBeGreaterThan(0.3);
    expect(segmentSentiment('我对这个服务不满意').valence).toBeLessThan(-0.3);
    expect(segmentSentiment('我对这个服务一点都不满意').valence).toBeLessThan(-0.3);
  });

  it('scales by degree words (很, 非常, 太; very, extremely)', () => {
    expect(segmentSentiment('非常失望').score).toBeLessThan(segmentSentiment('失望').score);
    expect(segmentSentiment('extremely disappointed').score).toBeLessThan(
      segmentSentiment('disappointed').score,
    );
  });

  it('does not let a negator reach into the next clause', () => {
    expect(segmentSentiment('不是问题，我很满意').valence).toBeGreaterThan(0);
  });

  it('hears anger in shouting, exclamations and anger words', () => {
    expect(segmentSentiment('This is RIDICULOUS!!! I want to complain!').anger).toBeGreaterThan(0.65);
    expect(segmentSentiment('气死我了，我要投诉！').anger).toBeGreaterThan(0.65);
    expect(segmentSentiment('Could you tell me my balance?').anger).toBeLessThan(0.2);
  });

  it('treats apologies as neutral', () => {
    expect(segmentSentiment('Sorry for the inconvenience').valence).toBe(0);
    expect(segmentSentiment('抱歉给您带来不便').valence).toBe(0);
  });
});
