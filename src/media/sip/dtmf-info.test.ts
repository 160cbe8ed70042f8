import { describe, expect, it } from 'vitest';
import { parseInfoDtmf } from './dtmf-info.js';

describe('DTMF in SIP INFO', () => {
  it('reads application/dtmf-relay with its duration', () => {
    expect(parseInfoDtmf('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n')).toEqual({
      digit: '5',
      durationMs: 160,
    });
    expect(parseInfoDtmf('Application/DTMF-Relay; charset=x', 'Signal= #\r\nDuration= 250')).toEqual({
      digit: '#',
      durationMs: 250,
    });
  });

  it('reads event codes 10-15 as * # A B C D', () => {
    expect(parseInfoDtmf('application/dtmf-relay', 'Signal=10\r\n')).toEqual({ digit: '*', durationMs: 100 });
    expect(parseInfoDtmf('application/dtmf-relay', 'Signal=11')).toMatchObject({ digit: '#' });
    expect(parseInfoDtmf('application/dtmf-relay', 'Signal=15')).toMatchObject({ digit: 'D' });
  });

  it('reads application/dtmf (a bare digit)', () => {
    expect(parseInfoDtmf('application/dtmf', '7')).toEqual({ digit: '7', durationMs: 100 });
    expect(parseInfoDtmf('application/dtmf', '*\r\n')).toMatchObject({ digit: '*' });
  });

  it('finds nothing in other bodies or bad signals', () => {
    expect(parseInfoDtmf('application/dtmf-relay', 'Signal=X')).toBeNull();
    expect(parseInfoDtmf('application/dtmf-relay', 'Duration=100')).toBeNull();
    expect(parseInfoDtmf('application/dtmf', '55')).toBeNull();
    expect(parseInfoDtmf('text/plain', '5')).toBeNull();
  });

  it('uses 100 ms when the duration is missing or absurd', () => {
    expect(parseInfoDtmf('application/dtmf-relay', 'Signal=1\r\nDuration=-5')).toMatchObject({
      durationMs: 100,
    });
    expect(parseInfoDtmf('application/dtmf-relay', 'Signal=1\r\nDuration=999999')).toMatchObject({
      durationMs: 100,
    });
  });
});
