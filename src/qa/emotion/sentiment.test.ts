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

  it('hears a named feeling as upset, and not when it is negated', () => {
    expect(segmentSentiment('I am getting really nervous about my connection').anger).toBeGreaterThanOrEqual(
      0.6,
    );
    expect(segmentSentiment("I'm not worried about the connection").anger).toBeLessThan(0.3);
    expect(segmentSentiment('等了一个星期，我真的很失望').anger).toBeGreaterThanOrEqual(0.6);
    expect(segmentSentiment('我不担心这个').anger).toBeLessThan(0.3);
  });

  it('hears less upset in a question about a fault than in a statement of it (near miss)', () => {
    const asked = segmentSentiment('Could the adapter be faulty?').anger;
    const said = segmentSentiment('The adapter is faulty and awful.').anger;
    expect(asked).toBeLessThan(said);
    expect(segmentSentiment('Why is my bill so terrible this month?').anger).toBeGreaterThan(asked);
  });

  it('weighs what comes after "but" / 但是 more than the concession before it', () => {
    const lateButKind = segmentSentiment('The delivery was late but the driver was lovely').anger;
    const kindButLate = segmentSentiment('The driver was lovely but the delivery was a disaster').anger;
    expect(kindButLate).toBeGreaterThan(lateButKind);
    expect(segmentSentiment('送货员很热情，但是东西坏了').anger).toBeGreaterThan(
      segmentSentiment('东西坏了，但是送货员很热情').anger,
    );
  });

  it('does not hear politeness formulas as upset', () => {
    expect(segmentSentiment('Sorry to bother you, could you check my balance?').anger).toBeLessThan(0.2);
    expect(
      segmentSentiment('This may be a silly question, but do you deliver on Sundays?').anger,
    ).toBeLessThan(0.2);
    expect(segmentSentiment('不好意思打扰一下，请问几点发货').anger).toBeLessThan(0.2);
    expect(segmentSentiment('That is a stupid question').valence).toBeLessThan(0);
  });

  it('hears repeated failure and being ignored as frustration', () => {
    expect(
      segmentSentiment('This is the third time I have rung about my router').anger,
    ).toBeGreaterThanOrEqual(0.6);
    expect(segmentSentiment('Nobody called me back after I reported it').anger).toBeGreaterThanOrEqual(0.6);
    expect(segmentSentiment('这是我第三次打电话了').anger).toBeGreaterThanOrEqual(0.6);
    expect(segmentSentiment('I rang you this morning about my router').anger).toBeLessThan(0.2);
    expect(segmentSentiment('第三季度的账单在哪里看').anger).toBeLessThan(0.2);
  });

  it('hears a crying or angry face as upset and a smile as friendly', () => {
    expect(segmentSentiment("my visa came too late for the flight :'(").anger).toBeGreaterThanOrEqual(0.6);
    expect(segmentSentiment('还是没收到[怒]').anger).toBeGreaterThanOrEqual(0.6);
    expect(segmentSentiment('all booked, see you in June :)').valence).toBeGreaterThan(0);
  });

  it('hears an agent that does not answer the question as frustration, not a request for an answer', () => {
    expect(
      segmentSentiment("You still haven't answered my question about the fee").anger,
    ).toBeGreaterThanOrEqual(0.6);
    expect(segmentSentiment('My question was not answered, I want a person').anger).toBeGreaterThanOrEqual(
      0.6,
    );
    expect(segmentSentiment('Can you answer a question about the fee?').anger).toBeLessThan(0.2);
  });

  it('reads "the third week in December" as a date, not a third attempt', () => {
    expect(segmentSentiment('I want to travel the third week in December').anger).toBeLessThan(0.2);
  });
});
