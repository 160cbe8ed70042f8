import { describe, expect, it } from 'vitest';
import { causeOfReasonHeader, causeOfStatus, statusOfCause } from './causes.js';

describe('SIP status and Q.850 cause mapping (as Asterisk chan_pjsip)', () => {
  it('maps the failures a caller sees most', () => {
    expect(causeOfStatus(486)).toBe(17); // busy
    expect(causeOfStatus(600)).toBe(17);
    expect(causeOfStatus(404)).toBe(1); // unallocated number
    expect(causeOfStatus(408)).toBe(18); // no user responding: nothing answered at all
    expect(causeOfStatus(480)).toBe(19); // no answer: reached but not answered
    expect(causeOfStatus(487)).toBe(127); // someone else cancelled our request: interworking
    expect(causeOfStatus(503)).toBe(34); // congestion
    expect(causeOfStatus(603)).toBe(21); // call rejected
    expect(causeOfStatus(403)).toBe(21);
    expect(causeOfStatus(488)).toBe(58);
    expect(causeOfStatus(484)).toBe(28);
  });

  it('falls back by class for statuses it does not list', () => {
    expect(causeOfStatus(499)).toBe(127);
    expect(causeOfStatus(599)).toBe(34);
    expect(causeOfStatus(699)).toBe(127);
    expect(causeOfStatus(302)).toBe(16);
  });

  it('turns a cause into the response that refuses an unanswered call', () => {
    expect(statusOfCause(17)).toBe(486);
    expect(statusOfCause(1)).toBe(404);
    expect(statusOfCause(34)).toBe(503);
    expect(statusOfCause(21)).toBe(403);
    expect(statusOfCause(19)).toBe(480);
    expect(statusOfCause(16)).toBe(603);
    expect(statusOfCause(999)).toBe(603);
  });

  it('reads the Q.850 cause of a Reason header, ignoring SIP reasons', () => {
    expect(causeOfReasonHeader(['Q.850;cause=17;text="User busy"'])).toBe(17);
    expect(causeOfReasonHeader(['SIP;cause=200;text="Call completed elsewhere"', 'Q.850 ; cause = 31'])).toBe(
      31,
    );
    expect(causeOfReasonHeader(['SIP;cause=487'])).toBeUndefined();
    expect(causeOfReasonHeader([])).toBeUndefined();
  });
});
