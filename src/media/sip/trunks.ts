// Configured trunks: which one an inbound call's source address belongs to, and the credentials
// to answer a trunk's challenge to our INVITE (sip.js's client digest does the hashing).
import {
  DigestAuthentication,
  type LoggerFactory,
  type OutgoingRequestMessage,
} from 'sip.js/lib/core/index.js';
import { AddressSet } from './address-range.js';
import { trunkMatchRanges, type SipTrunkConfig } from './config.js';

export class Trunks {
  private readonly byName = new Map<string, SipTrunkConfig>();
  private readonly ranges: { trunk: SipTrunkConfig; addresses: AddressSet }[] = [];
  /** Calls to trunks that have credentials, by Call-ID, for challenges to their requests. */
  private readonly credentialed = new Map<string, SipTrunkConfig>();

  constructor(trunks: readonly SipTrunkConfig[]) {
    for (const trunk of trunks) {
      this.byName.set(trunk.name, trunk);
      this.ranges.push({ trunk, addresses: new AddressSet(trunkMatchRanges(trunk)) });
    }
  }

  get(name: string): SipTrunkConfig | undefined {
    return this.byName.get(name);
  }

  all(): SipTrunkConfig[] {
    return [...this.byName.values()];
  }

  /** The first configured trunk whose `match` covers the address. */
  matching(address: string): SipTrunkConfig | undefined {
    return this.ranges.find((r) => r.addresses.has(address))?.trunk;
  }

  /** Remembers that requests of this call may be challenged and answered with the trunk's credentials. */
  track(callId: string, trunk: SipTrunkConfig): void {
    if (trunk.username && trunk.password) this.credentialed.set(callId, trunk);
  }

  untrack(callId: string): void {
    this.credentialed.delete(callId);
  }

  /**
   * What sip.js's authenticationFactory returns. sip.js asks for credentials without saying for
   * which request, then passes the request to authenticate(); this picks the trunk by Call-ID.
   */
  credentials(loggerFactory: LoggerFactory): DigestAuthentication {
    const lookup = (callId: string) => this.credentialed.get(callId);
    let inner: DigestAuthentication | undefined;
    const proxy = {
      stale: undefined as boolean | undefined,
      authenticate(request: OutgoingRequestMessage, challenge: object, body?: string): boolean {
        const trunk = lookup(request.callId);
        if (!trunk?.username || !trunk.password) return false;
        inner ??= new DigestAuthentication(loggerFactory, undefined, trunk.username, trunk.password);
        const ok = inner.authenticate(request, challenge, body);
        proxy.stale = inner.stale;
        return ok;
      },
      toString(): string {
        return inner?.toString() ?? '';
      },
    };
    return proxy as unknown as DigestAuthentication;
  }
}
