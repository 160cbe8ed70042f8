import { describe, expect, it } from 'vitest';
import { AddressSet, parseAddressRange } from './address-range.js';

describe('trunk source address ranges', () => {
  it('parses addresses and CIDR ranges, v4 and v6', () => {
    expect(parseAddressRange('192.0.2.7')).toEqual({ address: '192.0.2.7', family: 'ipv4', prefix: 32 });
    expect(parseAddressRange('192.0.2.0/24')).toEqual({ address: '192.0.2.0', family: 'ipv4', prefix: 24 });
    expect(parseAddressRange('2001:db8::/32')).toEqual({ address: '2001:db8::', family: 'ipv6', prefix: 32 });
    for (const bad of ['192.0.2.0/33', 'example.com', '1.2.3.4/', '1.2.3.4/8/8', '::/129', '']) {
      expect(parseAddressRange(bad)).toBeNull();
    }
  });

  it('says whether an address falls in any range', () => {
    const set = new AddressSet(['192.0.2.0/24', '198.51.100.9', '2001:db8::/32']);
    expect(set.has('192.0.2.200')).toBe(true);
    expect(set.has('192.0.3.1')).toBe(false);
    expect(set.has('198.51.100.9')).toBe(true);
    expect(set.has('198.51.100.10')).toBe(false);
    expect(set.has('2001:db8::1')).toBe(true);
    expect(set.has('not an address')).toBe(false);
    expect(new AddressSet([]).has('192.0.2.1')).toBe(false);
  });
});
