import { describe, expect, it } from 'vitest';
import { withoutQuotations } from './quotes.js';
import { segmentSentiment } from './sentiment.js';

describe('quotations', () => {
  it("leaves out a quoted passage: someone else's words", () => {
    expect(withoutQuotations('The screen says "fatal error, service failed" and stops')).toBe(
      'The screen says   and stops',
    );
    const quoted = segmentSentiment('The screen says "FATAL ERROR, SERVICE FAILED" and restarts');
    const own = segmentSentiment('The screen is a FATAL ERROR, SERVICE FAILED and restarts');
    expect(quoted.anger).toBeLessThan(own.anger);
    expect(quoted.negative).not.toContain('failed');
  });

  it("keeps a quoted word or two: the writer's own irony", () => {
    expect(withoutQuotations('their "upgrade" broke it')).toBe('their "upgrade" broke it');
  });

  it('keeps Chinese quotations, which mostly mark emphasis', () => {
    expect(withoutQuotations('别让我们“非常失望”')).toBe('别让我们“非常失望”');
  });
});
