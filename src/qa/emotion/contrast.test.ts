import { describe, expect, it } from 'vitest';
import { concessionWeight, contrastParts, turnWeight } from './contrast.js';

describe('contrast parts', () => {
  it('weighs what follows "but" above the concession before it', () => {
    expect(contrastParts('the seats were fine but the food was cold', false)).toEqual([
      { text: 'the seats were fine ', weight: concessionWeight },
      { text: ' the food was cold', weight: turnWeight },
    ]);
  });

  it('weighs what follows 但是 above what comes before it', () => {
    const parts = contrastParts('快递很快但是包装破了', true);
    expect(parts.map((p) => p.weight)).toEqual([concessionWeight, turnWeight]);
    expect(parts[1]!.text).toBe('包装破了');
  });

  it('does not take "nothing but" or "not only … but also" for a turn', () => {
    expect(contrastParts('it has been nothing but trouble', false)).toHaveLength(1);
    expect(contrastParts('not only late but also rude', false)).toHaveLength(1);
  });

  it('counts an "although" clause at half weight and the main clause in full', () => {
    const parts = contrastParts('although the agent was rude, my refund came quickly', false);
    expect(parts).toContainEqual({ text: 'although the agent was rude', weight: concessionWeight });
    expect(parts.at(-1)!.weight).toBe(1);
  });

  it('counts a 虽然 clause at half weight', () => {
    const parts = contrastParts('虽然等了很久，问题解决了', true);
    expect(parts[0]).toEqual({ text: '虽然等了很久', weight: concessionWeight });
  });

  it('leaves a sentence without a turn whole', () => {
    expect(contrastParts('my card was charged twice', false)).toEqual([
      { text: 'my card was charged twice', weight: 1 },
    ]);
  });
});
