// Source-address matching for trunks (`match: [addresses/CIDRs]`), on Node's own net.BlockList.
import { BlockList, isIP } from 'node:net';

export interface AddressRange {
  address: string;
  family: 'ipv4' | 'ipv6';
  prefix: number;
}

/** Parses `192.0.2.7`, `192.0.2.0/24`, `2001:db8::/32`; null when it is neither. */
export function parseAddressRange(text: string): AddressRange | null {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, family, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= max ? { address, family, prefix } : null;
}

/** A set of address ranges; `has(address)` says whether an address falls in any of them. */
export class AddressSet {
  private readonly list = new BlockList();
  private empty = true;

  constructor(ranges: readonly string[]) {
    for (const text of ranges) {
      const range = parseAddressRange(text);
      if (!range) throw new TypeError(`not an address or CIDR range: ${text}`);
      this.list.addSubnet(range.address, range.prefix, range.family);
      this.empty = false;
    }
  }

  has(address: string): boolean {
    if (this.empty) return false;
    const version = isIP(address);
    if (version === 0) return false;
    return this.list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}
