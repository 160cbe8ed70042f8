import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { sipConfigSchema, trunkMatchRanges } from './config.js';
import { parseSipConfig, SipConfigError } from './options.js';

function problemsOf(raw: unknown): string[] {
  try {
    parseSipConfig(raw);
  } catch (err) {
    if (err instanceof SipConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a SipConfigError');
}

describe('SIP configuration schema', () => {
  it('accepts the shipped example file', () => {
    const example = parseYaml(
      readFileSync(new URL('../../../config/sip.example.yaml', import.meta.url), 'utf8'),
    );
    const config = sipConfigSchema.parse(example);
    expect(config.endpoints.map((e) => e.name)).toContain('agent1');
    expect(config.trunks.length).toBeGreaterThan(0);
  });

  it('fills in defaults: no endpoints, no trunks, UDP 5060, one contact', () => {
    const config = parseSipConfig({
      endpoints: [{ name: 'a1', password: 'x' }],
      trunks: [{ name: 'carrier', host: '192.0.2.1' }],
    });
    expect(config.endpoints[0]).toEqual({ name: 'a1', password: 'x', maxContacts: 1 });
    expect(config.trunks[0]).toMatchObject({ port: 5060, transport: 'udp', match: [] });
    expect(parseSipConfig(undefined)).toEqual({ endpoints: [], trunks: [] });
  });

  it('names the field that is wrong', () => {
    expect(problemsOf({ trunks: [{ name: 'c', host: 'h', match: ['10.0.0.0/33'] }] })).toEqual([
      'trunks.0.match.0: expected an IPv4/IPv6 address or a CIDR range such as 192.0.2.0/24',
    ]);
    expect(problemsOf({ endpoints: [{ name: 'bad name', password: 'x' }] })[0]).toMatch(
      /^endpoints\.0\.name: /,
    );
    expect(problemsOf({ endpoints: [{ name: 'a1' }] })[0]).toMatch(/^endpoints\.0\.password: /);
    expect(problemsOf({ trunks: [{ name: 'c', host: 'h', transport: 'tls' }] })[0]).toMatch(
      /^trunks\.0\.transport: /,
    );
  });

  it('wants a trunk username and password together', () => {
    expect(problemsOf({ trunks: [{ name: 'c', host: 'h', username: 'u' }] })).toEqual([
      'trunks.0.password: username and password go together: give both or neither',
    ]);
  });

  it('refuses a name used twice, across endpoints and trunks', () => {
    expect(
      problemsOf({
        endpoints: [{ name: 'Agent1', password: 'x' }],
        trunks: [{ name: 'agent1', host: '192.0.2.1' }],
      }),
    ).toEqual([
      'trunks.0.name: "agent1" is already used by endpoints.0: endpoint and trunk names share one namespace (PJSIP/<name>)',
    ]);
  });

  it('matches a trunk on its host when it is an address and no match is given', () => {
    expect(
      trunkMatchRanges(parseSipConfig({ trunks: [{ name: 'c', host: '192.0.2.1' }] }).trunks[0]!),
    ).toEqual(['192.0.2.1']);
    expect(
      trunkMatchRanges(parseSipConfig({ trunks: [{ name: 'c', host: 'sip.example.com' }] }).trunks[0]!),
    ).toEqual([]);
  });

  it('can be extended with another section of the same file', () => {
    const composed = sipConfigSchema.extend({ dialplan: sipConfigSchema.shape.endpoints.optional() });
    expect(() =>
      composed.parse({ endpoints: [{ name: 'x', password: 'p' }], trunks: [{ name: 'X', host: '1.2.3.4' }] }),
    ).toThrow(/already used/);
  });
});
