import { describe, expect, it } from 'vitest';
import { emoticonsOf } from './emoticons.js';

describe('emoticons', () => {
  it('scores a sad face negative and a smile positive', () => {
    expect(emoticonsOf('my bag never came :(').score).toBeLessThan(0);
    expect(emoticonsOf('all sorted now :)').score).toBeGreaterThan(0);
  });

  it('counts a face with a repeated mouth once', () => {
    expect(emoticonsOf("I missed the deadline :'((((").score).toBe(emoticonsOf('I missed it :(').score);
  });

  it('does not read a time or a list marker as a face', () => {
    expect(emoticonsOf('the train leaves at 10:30 (platform 2)').score).toBe(0);
  });

  it('reads Weibo bracket faces: [怒] is angry, [哈哈] is positive', () => {
    expect(emoticonsOf('还没到货[怒]')).toMatchObject({ score: -3, angry: true });
    expect(emoticonsOf('收到了[哈哈]').score).toBeGreaterThan(0);
  });

  it('reads emoji', () => {
    expect(emoticonsOf('still waiting 😡').angry).toBe(true);
    expect(emoticonsOf('thanks 😊').score).toBeGreaterThan(0);
  });
});
