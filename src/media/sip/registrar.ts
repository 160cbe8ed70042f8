// The registrar (RFC 3261 §10.3) for configured endpoints: digest-authenticated REGISTER,
// contact bindings with expiry, unregistration (Expires: 0, Contact: *), and a change event
// when an endpoint's set of contacts changes. sip.js parses the REGISTER and keeps its
// transaction; what a registrar does with it is not in sip.js.
import type { Logger } from 'pino';
import type { IncomingRegisterRequest, IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import { NameAddrHeader } from 'sip.js/lib/core/index.js';
import type { EndpointInfo } from './contract.js';
import type { SipEndpointConfig } from './config.js';
import type { DigestAuthenticator } from './digest.js';
import type { Flow } from './transport/flow.js';
import { WILDCARD_CONTACT_URI } from './wire/wildcard-contact.js';

export interface RegistrarLimits {
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
}

export interface Binding {
  endpoint: string;
  uri: string;
  expiresAt: number;
  callId: string;
  cseq: number;
  /** Where the REGISTER came from: calls to this contact go back along it. */
  flow: Flow;
  registeredAt: number;
  release: () => void;
  timer: NodeJS.Timeout;
}

export interface RegistrarOptions {
  endpoints: readonly SipEndpointConfig[];
  auth: DigestAuthenticator;
  limits: RegistrarLimits;
  sourceOf: (message: IncomingRequestMessage) => Flow | undefined;
  hold: (flow: Flow) => () => void;
  onChange: (info: EndpointInfo) => void;
  log: Logger;
}

const MAX_EXPIRES_VALUE = 2 ** 32 - 1;

type Reply = { status: number; reason?: string; headers?: string[] };

export class Registrar {
  private readonly endpoints = new Map<string, SipEndpointConfig>();
  private readonly bindings = new Map<string, Binding[]>();

  constructor(private readonly options: RegistrarOptions) {
    for (const endpoint of options.endpoints) this.endpoints.set(endpoint.name, endpoint);
  }

  get count(): number {
    let n = 0;
    for (const list of this.bindings.values()) n += list.length;
    return n;
  }

  /** Current bindings of an endpoint, most recently registered first. */
  contactsOf(name: string): readonly Binding[] {
    return [...(this.bindings.get(name) ?? [])].sort((a, b) => b.registeredAt - a.registeredAt);
  }

  info(name: string): EndpointInfo | undefined {
    if (!this.endpoints.has(name)) return undefined;
    const contacts = this.contactsOf(name).map((b) => b.uri);
    return { name, kind: 'endpoint', state: contacts.length > 0 ? 'online' : 'offline', contacts };
  }

  names(): string[] {
    return [...this.endpoints.keys()];
  }

  /** Forgets every binding, without change events (the server is stopping). */
  clear(): void {
    for (const list of this.bindings.values()) {
      for (const b of list) {
        clearTimeout(b.timer);
        b.release();
      }
    }
    this.bindings.clear();
  }

  handle(request: IncomingRegisterRequest): void {
    const reply = this.process(request.message);
    const options = {
      statusCode: reply.status,
      reasonPhrase: reply.reason,
      extraHeaders: reply.headers ?? [],
    };
    if (reply.status >= 200 && reply.status < 300) request.accept(options);
    else request.reject(options);
  }

  private process(message: IncomingRequestMessage): Reply {
    const to = message.to;
    if (!to || to.uri.scheme !== 'sip') return { status: 400, reason: 'Address-of-record must be a SIP URI' };
    const aor = to.uri.user ?? '';
    const verdict = this.options.auth.verify(
      message.getHeaders('authorization'),
      'REGISTER',
      (username) => this.endpoints.get(username)?.password,
    );
    if (!verdict.ok) return this.refuse(verdict.reason);
    // Digest proves who is asking; an endpoint may only register its own address of record.
    if (verdict.username !== aor) return { status: 403, reason: 'Forbidden: may only register its own name' };
    const source = this.options.sourceOf(message);
    if (!source) return { status: 500, reason: 'Unknown source' };
    const changed = this.apply(aor, message, source);
    if ('status' in changed) return changed;
    if (changed.changed) {
      const info = this.info(aor);
      if (info) this.options.onChange(info);
    }
    return { status: 200, headers: this.contactHeaders(aor) };
  }

  private refuse(reason: string): Reply {
    if (reason === 'malformed' || reason === 'uri-mismatch')
      return { status: 400, reason: 'Bad Authorization header' };
    if (reason === 'stale')
      return { status: 401, headers: [`WWW-Authenticate: ${this.options.auth.challenge(true)}`] };
    if (reason === 'wrong-password' || reason === 'unknown-user' || reason === 'replay')
      return { status: 403 };
    // Unknown names are challenged like known ones, so a scanner cannot tell which exist.
    return { status: 401, headers: [`WWW-Authenticate: ${this.options.auth.challenge()}`] };
  }

  private expiresOf(value: string | null | undefined, fallback: number): number {
    if (value === undefined || value === null || !/^\s*\d+\s*$/.test(value)) return fallback;
    const n = Number(value);
    // RFC 4475 scalar02: an out-of-range expiry counts as absent.
    return n > MAX_EXPIRES_VALUE ? this.options.limits.defaultExpires : n;
  }

  private apply(aor: string, message: IncomingRequestMessage, source: Flow): Reply | { changed: boolean } {
    const limits = this.options.limits;
    const headerExpires = this.expiresOf(message.getHeader('expires'), limits.defaultExpires);
    const contacts = (message.headers['Contact'] ?? [])
      .map((h) => h.parsed as unknown)
      .filter((p) => p instanceof NameAddrHeader);
    if (contacts.length === 0) return { changed: false }; // a query: list the bindings
    if (contacts.some((c) => c.uri.toString() === WILDCARD_CONTACT_URI)) {
      if (contacts.length > 1 || headerExpires !== 0)
        return { status: 400, reason: 'Contact: * needs Expires: 0 and no other contact' };
      return { changed: this.removeAll(aor) };
    }
    const wanted = contacts.map((c) => ({
      uri: c.uri.toString(),
      expires: this.expiresOf(c.getParam('expires'), headerExpires),
    }));
    const brief = wanted.find((w) => w.expires > 0 && w.expires < limits.minExpires);
    if (brief)
      return { status: 423, reason: 'Interval Too Brief', headers: [`Min-Expires: ${limits.minExpires}`] };
    const list = this.bindings.get(aor) ?? [];
    for (const w of wanted) {
      const existing = list.find((b) => b.uri === w.uri);
      if (existing && existing.callId === message.callId && existing.cseq >= message.cseq) {
        return { status: 500, reason: 'Out of order REGISTER' };
      }
    }
    let changed = false;
    for (const w of wanted) {
      if (w.expires === 0) changed = this.remove(aor, w.uri) || changed;
      else
        changed = this.upsert(aor, w.uri, Math.min(w.expires, limits.maxExpires), message, source) || changed;
    }
    return { changed: this.enforceMaxContacts(aor) || changed };
  }

  private upsert(
    aor: string,
    uri: string,
    expires: number,
    message: IncomingRequestMessage,
    source: Flow,
  ): boolean {
    const list = this.bindings.get(aor) ?? [];
    const existing = list.find((b) => b.uri === uri);
    const expiresAt = Date.now() + expires * 1000;
    const timer = setTimeout(() => this.expire(aor, uri), expires * 1000);
    if (existing) {
      clearTimeout(existing.timer);
      existing.release();
      Object.assign(existing, { expiresAt, callId: message.callId, cseq: message.cseq, flow: source, timer });
      existing.release = this.options.hold(source);
      return false;
    }
    const binding: Binding = {
      endpoint: aor,
      uri,
      expiresAt,
      callId: message.callId,
      cseq: message.cseq,
      flow: source,
      registeredAt: Date.now(),
      release: this.options.hold(source),
      timer,
    };
    this.bindings.set(aor, [...list, binding]);
    this.options.log.info({ endpoint: aor, contact: uri, expires }, 'endpoint registered');
    return true;
  }

  private enforceMaxContacts(aor: string): boolean {
    const max = this.endpoints.get(aor)?.maxContacts ?? 1;
    const list = this.bindings.get(aor) ?? [];
    if (list.length <= max) return false;
    // Asterisk's remove_existing: the newest registrations win.
    const oldest = [...list].sort((a, b) => a.registeredAt - b.registeredAt).slice(0, list.length - max);
    for (const b of oldest) this.remove(aor, b.uri);
    return true;
  }

  private remove(aor: string, uri: string): boolean {
    const list = this.bindings.get(aor) ?? [];
    const binding = list.find((b) => b.uri === uri);
    if (!binding) return false;
    clearTimeout(binding.timer);
    binding.release();
    const rest = list.filter((b) => b !== binding);
    if (rest.length > 0) this.bindings.set(aor, rest);
    else this.bindings.delete(aor);
    this.options.log.info({ endpoint: aor, contact: uri }, 'endpoint contact removed');
    return true;
  }

  private removeAll(aor: string): boolean {
    const uris = (this.bindings.get(aor) ?? []).map((b) => b.uri);
    for (const uri of uris) this.remove(aor, uri);
    return uris.length > 0;
  }

  private expire(aor: string, uri: string): void {
    if (!this.remove(aor, uri)) return;
    this.options.log.info({ endpoint: aor, contact: uri }, 'registration expired');
    const info = this.info(aor);
    if (info) this.options.onChange(info);
  }

  private contactHeaders(aor: string): string[] {
    const now = Date.now();
    return this.contactsOf(aor).map(
      (b) => `Contact: <${b.uri}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`,
    );
  }
}
