// The transport layer under sip.js's UserAgentCore: one sip.js `Transport` over our UDP and TCP
// listeners. Incoming: scan, check (RFC 3261 §8.2 / RFC 4475), parse with sip.js, stamp
// received/rport, absorb UDP retransmissions, hand to the core. Outgoing: route (responses by
// Via, requests by call flow / Route / Request-URI), fill in our address for the chosen
// transport, remember for UDP retransmission, send.
import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import {
  IncomingRequestMessage,
  IncomingResponseMessage,
  Parser,
  TransactionState,
  type Logger as SipLogger,
  type Transport,
  type UserAgentCore,
} from 'sip.js/lib/core/index.js';
import { scanMessage, headerValue, type ScannedMessage } from '../wire/scan.js';
import { statelessResponse } from '../wire/stateless.js';
import { ALLOW_HEADER, checkRequest, checkResponse, type Refusal } from '../wire/validate.js';
import { stampVia, stripFlowParam } from '../wire/via.js';
import { withWildcardContact } from '../wire/wildcard-contact.js';
import { TransportError, type Flow, type Listener, type TransportKind } from './flow.js';
import { UdpReliability } from './retransmit.js';
import { responseTarget, summarize, targetOfUri, type OutgoingSummary } from './router.js';

/** Stand-ins sip.js writes into Via and Contact; we put the address of the transport actually used. */
export const VIA_HOST = 'via.hotline.invalid';
export const CONTACT_HOST = 'contact.hotline.invalid';
/** sip.js's own Allow list names methods we do not implement. */
const SIPJS_ALLOW = 'Allow: ACK,BYE,CANCEL,INFO,INVITE,MESSAGE,NOTIFY,OPTIONS,PRACK,REFER,REGISTER,SUBSCRIBE';

const quiet: SipLogger = { error() {}, warn() {}, log() {}, debug() {} } as unknown as SipLogger;

export interface HubOptions {
  publicAddress: string;
  listeners: Listener[];
  reliability: UdpReliability;
  log: Logger;
}

export class TransportHub implements Transport {
  /** What sip.js writes in the Via it builds; replaced per message by the transport used. */
  readonly protocol = 'UDP';
  private core: UserAgentCore | null = null;
  private readonly sources = new WeakMap<object, Flow>();
  private readonly pinned = new Map<string, { flow: Flow; release: () => void }>();
  private readonly listeners = new Map<TransportKind, Listener>();

  constructor(private readonly options: HubOptions) {
    for (const listener of options.listeners) this.listeners.set(listener.kind, listener);
  }

  attach(core: UserAgentCore): void {
    this.core = core;
  }

  /** Where a request sip.js gave us came from (after rport/received). */
  sourceOf(message: IncomingRequestMessage): Flow | undefined {
    return this.sources.get(message);
  }

  /**
   * Sends every request of a call (BYE, re-INVITE, ACK, CANCEL) along `flow`: back where an
   * inbound call came from, or to the registration flow of the endpoint we call, whatever its
   * Contact says (NAT, and TCP connection reuse).
   */
  pin(callId: string, flow: Flow): void {
    this.unpin(callId);
    const listener = this.listeners.get(flow.transport);
    this.pinned.set(callId, { flow, release: listener ? listener.hold(flow) : () => {} });
  }

  unpin(callId: string): void {
    const pin = this.pinned.get(callId);
    if (!pin) return;
    pin.release();
    this.pinned.delete(callId);
  }

  /** Forgets every pinned flow (the server is stopping). */
  clear(): void {
    for (const callId of [...this.pinned.keys()]) this.unpin(callId);
  }

  listener(kind: TransportKind): Listener | undefined {
    return this.listeners.get(kind);
  }

  // ---- incoming -------------------------------------------------------------------------------

  receive(data: Buffer, flow: Flow): void {
    const text = data.toString('latin1');
    const scan = scanMessage(text);
    if (!scan) return;
    try {
      if (scan.isResponse) this.receiveResponse(text, scan);
      else this.receiveRequest(text, scan, flow);
    } catch (err) {
      this.options.log.error({ err, from: `${flow.address}:${flow.port}` }, 'SIP message handling failed');
      if (!scan.isResponse && !scan.startLine.startsWith('ACK ')) {
        this.refuse(scan, flow, { status: 500, reason: 'Server Internal Error' });
      }
    }
  }

  /** A reply to a stream message that could not be framed, if it can be addressed. */
  framingReply(head: Buffer, flow: Flow, reason: 'too-large' | 'bad-content-length'): Buffer | null {
    const scan = scanMessage(head.toString('latin1'));
    if (!scan || scan.isResponse || scan.startLine.startsWith('ACK ') || !headerValue(scan, 'via'))
      return null;
    const refusal =
      reason === 'too-large'
        ? { status: 513, reason: 'Message Too Large' }
        : { status: 400, reason: 'Bad Content-Length' };
    return Buffer.from(statelessResponse(scan, refusal, flow), 'latin1');
  }

  private receiveRequest(text: string, scan: ScannedMessage, flow: Flow): void {
    const check = checkRequest(scan, flow.transport === 'udp');
    if (!check.ok) {
      if (check.refusal) this.refuse(scan, flow, check.refusal);
      return;
    }
    const message = parse(check.line.method === 'REGISTER' ? withWildcardContact(text) : text);
    if (!(message instanceof IncomingRequestMessage)) {
      this.refuse(scan, flow, { status: 400, reason: 'Bad Request' });
      return;
    }
    const via = message.headers['Via']?.[0];
    if (via)
      via.raw = stampVia(
        via.raw,
        flow.address,
        flow.port,
        flow.transport === 'udp' ? 'udp' : `tcp.${flow.connection}`,
      );
    const branch = message.viaBranch as string | undefined;
    message.viaBranch = this.transactionIdOf(message, flow);
    this.sources.set(message, flow);
    if (flow.transport === 'udp' && this.options.reliability.absorbRequest(message.method, branch, flow))
      return;
    this.requireCore().receiveIncomingRequestFromTransport(message);
  }

  private receiveResponse(text: string, scan: ScannedMessage): void {
    if (!checkResponse(scan)) return;
    const message = parse(text);
    if (!(message instanceof IncomingResponseMessage) || !message.statusCode) return;
    if (this.options.reliability.absorbResponse(message.statusCode, message.method, message.viaBranch))
      return;
    this.requireCore().receiveIncomingResponseFromTransport(message);
  }

  /**
   * RFC 2543 ACKs carry the INVITE's derived id; one that acknowledges a 2xx belongs to the
   * dialog, not the transaction (sip.js would drop it as a stray), so it gets an id of its own.
   */
  private transactionIdOf(message: IncomingRequestMessage, flow: Flow): string {
    const id = transactionIdOf(message, flow);
    if (message.method !== 'ACK' || !id.startsWith('rfc2543-')) return id;
    const uas = this.requireCore().userAgentServers.get(id);
    return uas && uas.transaction.state === TransactionState.Accepted ? `${id}-ack` : id;
  }

  private refuse(scan: ScannedMessage, flow: Flow, refusal: Refusal): void {
    if (scan.startLine.startsWith('ACK ') || !headerValue(scan, 'via')) return;
    const reply = statelessResponse(scan, refusal, flow);
    this.sendOn(flow, reply, summarize(reply)).catch((err: unknown) => {
      this.options.log.debug({ err }, 'could not send a stateless SIP response');
    });
  }

  private requireCore(): UserAgentCore {
    if (!this.core) throw new Error('SIP transport used before the core was attached');
    return this.core;
  }

  // ---- outgoing -------------------------------------------------------------------------------

  /** sip.js's Transport.send: works out where the message goes, then sends it there. */
  async send(message: string): Promise<void> {
    const summary = summarize(message);
    const flow = summary.isResponse ? this.responseFlow(message) : await this.requestFlow(summary);
    if (!flow)
      throw new TransportError(`no route for SIP ${summary.isResponse ? 'response' : summary.method}`);
    await this.sendOn(flow, message, summary);
  }

  private async sendOn(flow: Flow, message: string, summary: OutgoingSummary): Promise<void> {
    const listener = this.listeners.get(flow.transport);
    if (!listener) throw new TransportError(`no ${flow.transport} listener`);
    const data = Buffer.from(this.localize(message, listener), 'latin1');
    if (flow.transport === 'udp' && summary.branch) {
      const outgoing = summary.isResponse
        ? {
            kind: 'response' as const,
            status: summary.status,
            method: summary.method,
            branch: summary.branch,
          }
        : { kind: 'request' as const, method: summary.method, branch: summary.branch };
      this.options.reliability.sent(outgoing, data, flow);
    }
    await listener.send(flow, data);
  }

  /** Retransmissions from the reliability layer go straight to the socket. */
  resend(data: Buffer, flow: Flow): void {
    const listener = this.listeners.get(flow.transport);
    listener
      ?.send(flow, data)
      .catch((err: unknown) => this.options.log.debug({ err }, 'SIP retransmission failed'));
  }

  private localize(message: string, listener: Listener): string {
    const hostPort = hostPortOf(this.options.publicAddress, listener.port);
    const transport = listener.kind.toUpperCase();
    const contact = listener.kind === 'udp' ? hostPort : `${hostPort};transport=${listener.kind}`;
    return stripFlowParam(message)
      .replace(`SIP/2.0/UDP ${VIA_HOST}`, `SIP/2.0/${transport} ${hostPort}`)
      .replace(CONTACT_HOST, contact)
      .replace(SIPJS_ALLOW, ALLOW_HEADER);
  }

  private responseFlow(message: string): Flow | null {
    const target = responseTarget(message);
    if (!target) return null;
    // RFC 3261 §18.2.2: a response goes back on the connection its request came on.
    const connection = this.listeners.get('tcp')?.connectionTo(target.address, target.port);
    if (connection !== undefined)
      return { transport: 'tcp', address: target.address, port: target.port, connection };
    return { transport: target.transport, address: target.address, port: target.port };
  }

  private async requestFlow(summary: OutgoingSummary): Promise<Flow | null> {
    const pinned = this.pinned.get(summary.callId);
    // A pinned connection that has closed cannot be reopened (its port was the peer's
    // ephemeral one): then the Contact / Route is all we have.
    if (
      pinned &&
      (pinned.flow.transport === 'udp' || this.listeners.get('tcp')?.isOpen(pinned.flow.connection))
    ) {
      return pinned.flow;
    }
    const target = targetOfUri(summary.route ?? summary.requestUri);
    if (!target) return null;
    const address = isIP(target.host) ? target.host : (await lookup(target.host)).address;
    return { transport: target.transport, address, port: target.port };
  }
}

/**
 * sip.js's parser returns nothing for most malformed messages but throws on some (a response
 * whose CSeq does not parse, found by fuzzing); either way the message is malformed.
 */
function parse(text: string): ReturnType<typeof Parser.parseMessage> {
  try {
    return Parser.parseMessage(text, quiet);
  } catch {
    return undefined;
  }
}

export function hostPortOf(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * The transaction id sip.js keys server transactions by. sip.js matches on the branch alone;
 * RFC 3261 §17.2.3 also asks for the sent-by, because two clients can pick the same branch
 * (RFC 4475's messages share theirs). We add the address the request really came from, which a
 * client's retransmissions share. For RFC 2543 peers (no branch, or no cookie) we derive an id
 * from what §17.2.3 says such requests are matched by, so that an INVITE, its CANCEL and its
 * ACK share it.
 */
function transactionIdOf(message: IncomingRequestMessage, flow: Flow): string {
  const branch = message.viaBranch as string | undefined;
  const source = `${flow.address}|${flow.port}`;
  if (branch && branch.startsWith('z9hG4bK') && branch.length > 7) return `${branch}|${source}`;
  const via = message.via as { host?: string; port?: number } | undefined;
  const parts = [
    message.ruri?.toString(),
    message.fromTag,
    message.callId,
    message.cseq,
    via?.host,
    via?.port,
    source,
  ];
  return `rfc2543-${createHash('sha1').update(parts.join('|')).digest('hex')}`;
}

export { ALLOW_HEADER };
