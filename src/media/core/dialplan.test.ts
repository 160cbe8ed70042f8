import { describe, expect, it } from 'vitest';
import { Dialplan, dialplanSchema, patternToRegExp } from './dialplan.js';
import { TEST_DIALPLAN } from './testing/fixture.js';

const plan = new Dialplan(dialplanSchema.parse(TEST_DIALPLAN));
const facts = (dialled: string, more: Partial<Parameters<Dialplan['route']>[0]> = {}) => ({
  dialled,
  sourceAddress: '127.0.0.1',
  callerNumber: '+8613800138000',
  callerName: 'Lab Caller',
  ...more,
});

describe('extension patterns', () => {
  it('read X, Z, N, sets, "." and "!" as Asterisk does', () => {
    expect(patternToRegExp('_X.')!.test('1000')).toBe(true);
    expect(patternToRegExp('_X.')!.test('1')).toBe(false);
    expect(patternToRegExp('_X!')!.test('1')).toBe(true);
    expect(patternToRegExp('_NXX')!.test('212')).toBe(true);
    expect(patternToRegExp('_NXX')!.test('112')).toBe(false);
    expect(patternToRegExp('_Z[05-7]')!.test('36')).toBe(true);
    expect(patternToRegExp('_Z[05-7]')!.test('38')).toBe(false);
    expect(patternToRegExp('_+86X.')!.test('+8613800138000')).toBe(true);
    expect(patternToRegExp('1000')).toBeNull();
  });
});

describe('the dialplan', () => {
  it('sends any number from the local caller into the app with the number as args[0]', () => {
    expect(plan.route(facts('1000'))).toEqual({
      kind: 'stasis',
      app: 'hotline',
      args: ['1000'],
      context: 'from-caller',
      exten: '1000',
      priority: 2,
      channelName: 'caller',
    });
  });

  it('routes a trunk call by its trunk, names the channel after the trunk, and substitutes args', () => {
    const r = plan.route(facts('4008001234', { trunk: 'carrier', sourceAddress: '192.0.2.10' }));
    expect(r).toMatchObject({
      kind: 'stasis',
      context: 'from-trunk',
      args: ['4008001234', 'trunk'],
      channelName: 'carrier',
    });
  });

  it('answers an unknown number with 404 and an unknown source with 403', () => {
    expect(plan.route(facts('123', { trunk: 'carrier', sourceAddress: '192.0.2.10' }))).toMatchObject({
      kind: 'reject',
      status: 404,
    });
    expect(plan.route(facts('1000', { sourceAddress: '192.0.2.99' }))).toMatchObject({
      kind: 'reject',
      status: 403,
    });
  });

  it('knows the context of an endpoint and follows an extension to its app', () => {
    expect(plan.contextForEndpoint('agent1')).toBe('from-agent');
    expect(plan.extension('from-caller', '2000')).toEqual({ app: 'hotline', args: ['2000'] });
    expect(plan.extension('from-trunk', '999')).toBeNull();
  });

  it('rejects a configuration whose route names a missing context, naming the field', () => {
    const parsed = dialplanSchema.safeParse({
      routes: [{ address: '10.0.0.0/8', context: 'nowhere' }],
      contexts: {},
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['routes', 0, 'context']);
  });

  it('rejects a bad address and a route with nothing to match', () => {
    expect(
      dialplanSchema.safeParse({ routes: [{ address: 'not-an-ip', context: 'x' }], contexts: { x: [] } })
        .success,
    ).toBe(false);
    expect(dialplanSchema.safeParse({ routes: [{ context: 'x' }], contexts: { x: [] } }).success).toBe(false);
  });
});
