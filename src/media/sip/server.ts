// The SipServer (contract.ts): listeners, the transport hub, sip.js's core, the registrar, and
// the calls in progress, put together and taken apart in order.
import type { Logger } from 'pino';
import type { IncomingInviteRequest, UserAgentCore } from 'sip.js/lib/core/index.js';
import { CallBase, sdpBody, type CallContext } from './calls/call-base.js';
import { InboundCall } from './calls/inbound-call.js';
import { OutboundCall } from './calls/outbound-call.js';
import type {
  EndpointInfo,
  InboundSipCall,
  InviteRequest,
  OutboundSipCall,
  SipServer,
  SipServerCounts,
} from './contract.js';
import { createCore } from './core.js';
import { ALLOW_HEADER } from './wire/validate.js';
import { DigestAuthenticator } from './digest.js';
import { decideInvite } from './inbound.js';
import { claimTimers, resolveOptions, type ResolvedOptions, type SipServerOptions } from './options.js';
import { planInvite } from './outbound.js';
import { Registrar } from './registrar.js';
import { buildOffer } from './sdp.js';
import { CONTACT_HOST, TransportHub } from './transport/hub.js';
import { UdpReliability } from './transport/retransmit.js';
import { TcpListener } from './transport/tcp.js';
import { UdpListener } from './transport/udp.js';
import { Trunks } from './trunks.js';
import type { SipEndpointConfig } from './config.js';

type IncomingHandler = (call: InboundSipCall) => void;
type EndpointHandler = (endpoint: EndpointInfo) => void;

export class HotlineSipServer implements SipServer {
  private readonly options: ResolvedOptions;
  private readonly log: Logger;
  private readonly hub: TransportHub;
  private readonly core: UserAgentCore;
  private readonly udp: UdpListener;
  private readonly tcp: TcpListener;
  private readonly reliability: UdpReliability;
  private readonly registrar: Registrar;
  private readonly trunks: Trunks;
  private readonly endpointConfig = new Map<string, SipEndpointConfig>();
  private readonly auth: DigestAuthenticator;
  private readonly calls = new Set<CallBase>();
  /** Pins of ended calls wait for their last retransmissions before they go. */
  private readonly unpinTimers = new Set<NodeJS.Timeout>();
  private incomingHandler: IncomingHandler | null = null;
  private readonly endpointHandlers: EndpointHandler[] = [];
  private releaseTimers: (() => void) | null = null;
  private running = false;

  constructor(options: SipServerOptions = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.log = o.log.child({ module: 'sip' });
    for (const endpoint of o.sip.endpoints) this.endpointConfig.set(endpoint.name, endpoint);
    this.trunks = new Trunks(o.sip.trunks);
    this.auth = new DigestAuthenticator({ realm: o.realm, nonceLifetimeMs: o.nonceLifetimeMs });
    this.reliability = new UdpReliability(o.timers, (data, flow) => this.hub.resend(data, flow));
    const deliver = (data: Buffer, flow: Parameters<TransportHub['receive']>[1]) =>
      this.hub.receive(data, flow);
    this.udp = new UdpListener(o.bindAddress, o.udpPort, deliver, this.log);
    this.tcp = new TcpListener(
      o.bindAddress,
      o.tcpPort,
      o.tcp,
      deliver,
      (frame, flow) => this.hub.framingReply(frame.head, flow, frame.reason),
      this.log,
    );
    this.hub = new TransportHub({
      publicAddress: o.publicAddress,
      listeners: [this.udp, this.tcp],
      reliability: this.reliability,
      log: this.log,
    });
    this.core = createCore(
      this.hub,
      {
        onInvite: (request) => this.onInvite(request),
        onRegister: (request) => this.registrar.handle(request),
        authentication: () => this.trunks.credentials(this.core.loggerFactory),
      },
      this.log,
    );
    this.hub.attach(this.core);
    this.registrar = new Registrar({
      endpoints: o.sip.endpoints,
      auth: this.auth,
      limits: o.registrar,
      sourceOf: (message) => this.hub.sourceOf(message),
      hold: (flow) => this.hub.listener(flow.transport)?.hold(flow) ?? (() => {}),
      onChange: (info) => this.emitEndpoint(info),
      log: this.log,
    });
  }

  get udpPort(): number {
    return this.udp.port;
  }

  get tcpPort(): number {
    return this.tcp.port;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.releaseTimers = claimTimers(this.options.timers);
    try {
      await this.udp.start();
      await this.tcp.start();
    } catch (err) {
      await this.udp.stop();
      this.releaseTimers();
      throw err;
    }
    this.running = true;
    const { bindAddress, publicAddress } = this.options;
    this.log.info(
      { bindAddress, publicAddress, udpPort: this.udpPort, tcpPort: this.tcpPort },
      'SIP listening',
    );
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const call of [...this.calls]) {
      if (call instanceof InboundCall || call instanceof OutboundCall) call.shutdown();
    }
    await this.settle(Math.min(2000, 8 * this.options.timers.t1 + 500));
    this.core.dispose();
    this.reliability.clear();
    this.registrar.clear();
    for (const timer of this.unpinTimers) clearTimeout(timer);
    this.unpinTimers.clear();
    this.hub.clear();
    await this.tcp.stop();
    await this.udp.stop();
    this.releaseTimers?.();
    this.log.info('SIP stopped');
  }

  /** Lets the BYEs and CANCELs of stop() get their answers, up to `ms`. */
  private async settle(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (this.core.userAgentClients.size > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  onIncomingCall(handler: IncomingHandler): void {
    this.incomingHandler = handler;
  }

  onEndpointStateChange(handler: EndpointHandler): void {
    this.endpointHandlers.push(handler);
  }

  private emitEndpoint(info: EndpointInfo): void {
    for (const handler of this.endpointHandlers) {
      try {
        handler(info);
      } catch (err) {
        this.log.error({ err, endpoint: info.name }, 'endpoint state handler failed');
      }
    }
  }

  endpoints(): EndpointInfo[] {
    const endpoints = this.registrar.names().map((name) => this.registrar.info(name)!);
    return [...endpoints, ...this.trunks.all().map((t) => this.trunkInfo(t.name))];
  }

  endpoint(name: string): EndpointInfo | undefined {
    return this.registrar.info(name) ?? (this.trunks.get(name) ? this.trunkInfo(name) : undefined);
  }

  private trunkInfo(name: string): EndpointInfo {
    // Trunks are not probed (no OPTIONS qualify), so their reachability is unknown.
    return { name, kind: 'trunk', state: 'unknown', contacts: [] };
  }

  counts(): SipServerCounts {
    return {
      transactions: this.core.userAgentClients.size + this.core.userAgentServers.size + this.reliability.size,
      dialogs: this.core.dialogs.size,
      registrations: this.registrar.count,
      tcpConnections: this.tcp.connectionCount(),
    };
  }

  private callContext(codecs: CallContext['codecs']): CallContext {
    return { log: this.log, codecs, release: (call) => this.release(call) };
  }

  private track(call: CallBase, flow?: Parameters<TransportHub['pin']>[1]): void {
    this.calls.add(call);
    if (flow) this.hub.pin(call.callId, flow);
  }

  private release(call: CallBase): void {
    this.calls.delete(call);
    // The call's last BYE or ACK may still be retransmitted along its flow for 64·T1. Only the
    // Call-ID is kept that long, not the call.
    const callId = call.callId;
    const timer = setTimeout(() => {
      this.unpinTimers.delete(timer);
      this.hub.unpin(callId);
      this.trunks.untrack(callId);
    }, 64 * this.options.timers.t1);
    this.unpinTimers.add(timer);
  }

  private onInvite(request: IncomingInviteRequest): void {
    const source = this.hub.sourceOf(request.message);
    if (!source) {
      request.reject({ statusCode: 500 });
      return;
    }
    const decision = decideInvite(request, source, {
      auth: this.auth,
      endpoints: this.endpointConfig,
      trunkFor: (address) => this.trunks.matching(address),
      codecs: this.options.codecs,
    });
    if (!decision.ok) {
      request.reject({
        statusCode: decision.status,
        reasonPhrase: decision.reason,
        extraHeaders: decision.headers ?? [],
      });
      return;
    }
    const call = new InboundCall(request, decision.details, this.callContext(decision.codecs));
    request.trying();
    this.track(call, source);
    const handler = this.incomingHandler;
    if (!handler) {
      call.reject(503, 'No call handler');
      return;
    }
    try {
      handler(call);
    } catch (err) {
      this.log.error({ err, callId: call.callId }, 'incoming call handler failed');
      if (call.callState === 'offered' || call.callState === 'early')
        call.reject(500, 'Server Internal Error');
    }
  }

  invite(request: InviteRequest): OutboundSipCall {
    if (!this.running) throw new Error('the SIP server is not running');
    const plan = planInvite(request, {
      registrar: this.registrar,
      trunks: this.trunks,
      publicAddress: this.options.publicAddress,
      codecs: this.options.codecs,
      endpointCodecs: (name) => this.endpointConfig.get(name)?.codecs,
    });
    const callId = `${crypto.randomUUID()}@hotline`;
    const call = new OutboundCall(
      callId,
      plan.transport,
      request.target,
      plan.codecs,
      request.local,
      this.callContext(plan.codecs),
    );
    const offer = buildOffer(plan.codecs, request.local, call.offerOrigin());
    const message = this.core.makeOutgoingRequestMessage(
      'INVITE',
      plan.requestUri,
      plan.from,
      plan.to,
      { callId, fromDisplayName: plan.fromName },
      [`Contact: <sip:hotline@${CONTACT_HOST}>`, ALLOW_HEADER],
      sdpBody(offer),
    );
    if (plan.trunk) this.trunks.track(callId, plan.trunk);
    this.track(call, plan.flow);
    call.sent(this.core.invite(message, call.delegate()));
    return call;
  }
}

export function createSipServer(options: SipServerOptions = {}): SipServer {
  return new HotlineSipServer(options);
}
