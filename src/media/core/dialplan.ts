// The dialplan: which inbound calls enter which Stasis application with which arguments — the
// `dialplan` section of the SIP configuration file (config/sip.yaml), the embedded server's
// equivalent of extensions.conf. Calls are sorted into a context by where they come from (a
// trunk, an authenticated endpoint, or a source address), then the dialled number is matched
// against the context's extensions with Asterisk's pattern syntax (_X. _NXXNXXXXXX, exact
// numbers). No context: 403. No extension: 404 (unknown number).
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

const extension = z.object({
  /** Exact number ("1000", "+862150001000") or an Asterisk pattern ("_X.", "_1XXX", "_[+0-9]."). */
  exten: z.string().min(1),
  /** Stasis application the call enters. */
  app: z.string().min(1),
  /** Application arguments; ${EXTEN}, ${CALLERID(num)} and ${CALLERID(name)} are substituted. */
  args: z.array(z.string()).default(['${EXTEN}']),
  /** Priority shown in the channel's dialplan location (Asterisk's line number of Stasis()). */
  priority: z.number().int().min(1).default(1),
  /** Channel language for prompts (default: the route's, then "en"). */
  language: z.string().min(1).optional(),
});

const route = z
  .object({
    /** Calls arriving through this configured trunk ("*" = any trunk). */
    trunk: z.string().min(1).optional(),
    /** Calls from this authenticated endpoint ("*" = any endpoint). */
    endpoint: z.string().min(1).optional(),
    /** Calls whose source address is this IP or inside this CIDR (e.g. 127.0.0.1, 10.0.0.0/8). */
    address: z
      .string()
      .refine((a) => parseCidr(a) !== null, 'an IPv4/IPv6 address or CIDR such as 10.0.0.0/8')
      .optional(),
    /** Context (key of `contexts`) the call is matched in. */
    context: z.string().min(1),
    /**
     * Name the channel takes (PJSIP/<name>-00000001) when neither a trunk nor an endpoint
     * matched; Asterisk names it after the endpoint the source address identified.
     */
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.+-]+$/)
      .optional(),
    language: z.string().min(1).optional(),
  })
  .refine((r) => r.trunk || r.endpoint || r.address, { message: 'give a trunk, an endpoint or an address' });

export const dialplanSchema = z
  .object({
    routes: z.array(route).default([]),
    contexts: z.record(z.string(), z.array(extension)).default({}),
  })
  .superRefine((plan, ctx) => {
    plan.routes.forEach((r, i) => {
      if (!plan.contexts[r.context])
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i, 'context'],
          message: `no context "${r.context}" in dialplan.contexts`,
        });
    });
    for (const [name, extens] of Object.entries(plan.contexts)) {
      extens.forEach((e, i) => {
        if (e.exten.startsWith('_') && patternToRegExp(e.exten) === null)
          ctx.addIssue({
            code: 'custom',
            path: ['contexts', name, i, 'exten'],
            message: `bad pattern "${e.exten}"`,
          });
      });
    }
  });

export type DialplanConfig = z.infer<typeof dialplanSchema>;

export interface InboundCallFacts {
  dialled: string;
  trunk?: string;
  endpoint?: string;
  sourceAddress: string;
  callerNumber: string;
  callerName: string;
}

export type RouteDecision =
  | {
      kind: 'stasis';
      app: string;
      args: string[];
      context: string;
      exten: string;
      priority: number;
      /** The name part of the channel name. */
      channelName: string;
      language?: string;
    }
  | { kind: 'reject'; status: 403 | 404; reason: string };

function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, prefixText] = text.split('/');
  const version = isIP(address ?? '');
  if (!version) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address: address!, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Asterisk extension pattern → RegExp: X [0-9], Z [1-9], N [2-9], [..] a set, . one or more, ! zero or more. */
export function patternToRegExp(pattern: string): RegExp | null {
  if (!pattern.startsWith('_')) return null;
  let out = '^';
  const body = pattern.slice(1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    switch (ch.toUpperCase()) {
      case 'X':
        out += '[0-9]';
        break;
      case 'Z':
        out += '[1-9]';
        break;
      case 'N':
        out += '[2-9]';
        break;
      case '.':
        out += '.+';
        break;
      case '!':
        out += '.*';
        break;
      case '[': {
        const end = body.indexOf(']', i);
        if (end < 0) return null;
        const set = body.slice(i + 1, end).replace(/[\\\]^]/g, '\\$&');
        if (!set) return null;
        out += `[${set}]`;
        i = end;
        break;
      }
      default:
        out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`${out}$`);
}

function matches(exten: string, dialled: string): boolean {
  if (!exten.startsWith('_')) return exten === dialled;
  return patternToRegExp(exten)?.test(dialled) ?? false;
}

function substitute(template: string, facts: InboundCallFacts): string {
  return template
    .replaceAll('${EXTEN}', facts.dialled)
    .replaceAll('${CALLERID(num)}', facts.callerNumber)
    .replaceAll('${CALLERID(name)}', facts.callerName);
}

export class Dialplan {
  private readonly blocks: (BlockList | null)[];

  constructor(private readonly config: DialplanConfig) {
    this.blocks = config.routes.map((r) => {
      if (!r.address) return null;
      const cidr = parseCidr(r.address)!;
      const list = new BlockList();
      list.addSubnet(cidr.address, cidr.prefix, cidr.family);
      return list;
    });
  }

  /** Where an inbound call goes. */
  route(facts: InboundCallFacts): RouteDecision {
    const index = this.config.routes.findIndex((r, i) => this.routeMatches(r, i, facts));
    if (index < 0) return { kind: 'reject', status: 403, reason: 'no dialplan route for this caller' };
    const r = this.config.routes[index]!;
    const extens = this.config.contexts[r.context] ?? [];
    // Exact numbers win over patterns, as in Asterisk.
    const hit =
      extens.find((e) => !e.exten.startsWith('_') && e.exten === facts.dialled) ??
      extens.find((e) => matches(e.exten, facts.dialled));
    if (!hit)
      return { kind: 'reject', status: 404, reason: `no extension ${facts.dialled} in context ${r.context}` };
    return {
      kind: 'stasis',
      app: hit.app,
      args: hit.args.map((a) => substitute(a, facts)),
      context: r.context,
      exten: facts.dialled,
      priority: hit.priority,
      channelName: facts.trunk ?? facts.endpoint ?? r.name ?? 'anonymous',
      ...((hit.language ?? r.language) ? { language: hit.language ?? r.language } : {}),
    };
  }

  /** The context of an endpoint's own calls (Asterisk's endpoint `context`), for outbound channels. */
  contextForEndpoint(endpoint: string): string {
    return (
      this.config.routes.find((r) => r.endpoint === endpoint)?.context ??
      this.config.routes.find((r) => r.endpoint === '*')?.context ??
      'default'
    );
  }

  /** Looks an extension up in a context (originate with extension/context). */
  extension(context: string, exten: string): { app: string; args: string[] } | null {
    const extens = this.config.contexts[context] ?? [];
    const hit =
      extens.find((e) => !e.exten.startsWith('_') && e.exten === exten) ??
      extens.find((e) => matches(e.exten, exten));
    if (!hit) return null;
    const facts = { dialled: exten, sourceAddress: '', callerNumber: '', callerName: '' };
    return { app: hit.app, args: hit.args.map((a) => substitute(a, facts)) };
  }

  /** Named address routes, which ARI lists as endpoints (Asterisk identifies such callers as an endpoint). */
  namedRoutes(): string[] {
    return this.config.routes.filter((r) => r.name && r.address).map((r) => r.name!);
  }

  private routeMatches(r: DialplanConfig['routes'][number], index: number, facts: InboundCallFacts): boolean {
    if (r.trunk && !(facts.trunk && (r.trunk === '*' || r.trunk === facts.trunk))) return false;
    if (r.endpoint && !(facts.endpoint && (r.endpoint === '*' || r.endpoint === facts.endpoint)))
      return false;
    const block = this.blocks[index];
    if (block) {
      const family = isIP(facts.sourceAddress);
      if (!family || !block.check(facts.sourceAddress, family === 4 ? 'ipv4' : 'ipv6')) return false;
    }
    return true;
  }
}
