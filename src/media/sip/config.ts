// The SIP part of the SIP configuration file (`config/sip.yaml`, named by media.sipConfigFile):
// the endpoints (agents' phones, which register with a password) and the trunks (carriers and
// PBXs, trusted by source address). The core engineer composes these schemas with the file's
// `dialplan` section; nothing here claims another top-level key.
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseAddressRange } from './address-range.js';

/** Codecs Hotline negotiates, named as in contract.ts. */
export const codecSchema = z.enum(['PCMU', 'PCMA', 'G722', 'L16']);

/** A SIP user part we can put in a URI without escaping, and use as an ARI `PJSIP/<name>`. */
const sipName = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.~-]*$/,
    'letters, digits and _ . ~ - only, starting with a letter or digit',
  );

const addressOrRange = z.string().refine((text) => parseAddressRange(text) !== null, {
  message: 'expected an IPv4/IPv6 address or a CIDR range such as 192.0.2.0/24',
});

export const sipEndpointSchema = z.object({
  /** The SIP user name the phone registers and authenticates as; ARI dials it as PJSIP/<name>. */
  name: sipName,
  /** Digest password. */
  password: z.string().min(1),
  /** Contacts kept at once; a new registration beyond this replaces the oldest (Asterisk's remove_existing). */
  maxContacts: z.number().int().min(1).max(10).default(1),
  /** Codec preference for calls with this endpoint; defaults to the server's. */
  codecs: z.array(codecSchema).min(1).optional(),
});

export const sipTrunkSchema = z
  .object({
    /** ARI dials it as PJSIP/<number>@<name>. */
    name: sipName,
    /** Where outbound calls go: an IP address or a host name (A/AAAA lookup; no SRV/NAPTR). */
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(5060),
    transport: z.enum(['udp', 'tcp']).default('udp'),
    /**
     * Source addresses (IP or CIDR) whose INVITEs are this trunk's calls. Defaults to `host` when
     * that is an IP address. Calls from these addresses are not challenged.
     */
    match: z.array(addressOrRange).default([]),
    /** Credentials for when the trunk challenges our INVITEs (401/407). */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** Domain of our From header on calls to this trunk; defaults to our public address. */
    fromDomain: z.string().min(1).optional(),
    codecs: z.array(codecSchema).min(1).optional(),
  })
  .superRefine((trunk, ctx) => {
    if ((trunk.username === undefined) !== (trunk.password === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [trunk.username === undefined ? 'username' : 'password'],
        message: 'username and password go together: give both or neither',
      });
    }
  });

function checkUniqueNames(
  config: { endpoints: { name: string }[]; trunks: { name: string }[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, string>();
  const check = (kind: 'endpoints' | 'trunks', name: string, index: number) => {
    const first = seen.get(name.toLowerCase());
    if (first) {
      ctx.addIssue({
        code: 'custom',
        path: [kind, index, 'name'],
        message: `"${name}" is already used by ${first}: endpoint and trunk names share one namespace (PJSIP/<name>)`,
      });
      return;
    }
    seen.set(name.toLowerCase(), `${kind}.${index}`);
  };
  config.endpoints.forEach((e, i) => check('endpoints', e.name, i));
  config.trunks.forEach((t, i) => check('trunks', t.name, i));
}

/** `endpoints` and `trunks` of the SIP configuration file; extend it with other sections. */
export const sipConfigSchema = z
  .object({
    endpoints: z.array(sipEndpointSchema).default([]),
    trunks: z.array(sipTrunkSchema).default([]),
  })
  .superRefine(checkUniqueNames);

export type SipEndpointConfig = z.infer<typeof sipEndpointSchema>;
export type SipTrunkConfig = z.infer<typeof sipTrunkSchema>;
export type SipConfig = z.infer<typeof sipConfigSchema>;
export type CodecName = z.infer<typeof codecSchema>;

/** The source ranges a trunk's calls come from: its `match`, or its host when that is an IP. */
export function trunkMatchRanges(trunk: SipTrunkConfig): string[] {
  if (trunk.match.length > 0) return trunk.match;
  return isIP(trunk.host) ? [trunk.host] : [];
}
