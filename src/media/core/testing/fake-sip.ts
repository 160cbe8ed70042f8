// A fake of our own SIP contract (src/media/sip/contract.ts) for unit tests of the core and the
// ARI server: tests make calls arrive, and see what the core asked the SIP layer to do.
import { EventEmitter } from 'node:events';
import type {
  DialTarget,
  EndpointInfo,
  InboundSipCall,
  InviteRequest,
  LocalMedia,
  NegotiatedMedia,
  OutboundSipCall,
  SipCallEnd,
  SipServer,
  SipServerCounts,
  SipTransport,
} from '../../sip/contract.js';

export const PCMU: NegotiatedMedia = {
  codec: 'PCMU',
  payloadType: 0,
  sampleRate: 8000,
  rtpClockRate: 8000,
  dtmfPayloadType: 101,
  ptime: 20,
  remote: { address: '127.0.0.1', port: 40000 },
  direction: 'sendrecv',
};

let callSeq = 0;

export class FakeInboundCall extends EventEmitter implements InboundSipCall {
  readonly id = `in-${++callSeq}`;
  readonly callId = `call-${callSeq}@fake`;
  readonly transport: SipTransport = 'udp';
  readonly requestUri: string;
  readonly source: { address: string; port: number; transport: SipTransport };
  readonly actions: string[] = [];
  status: 'ringing' | 'early' | 'answered' | 'rejected' | 'ended' = 'ringing';
  rejectedWith: number | null = null;
  hangupCause: number | null = null;
  local: LocalMedia | null = null;
  media: NegotiatedMedia = PCMU;

  constructor(
    readonly dialled: string,
    readonly from = { name: 'Lab Caller', number: '+8613800138000', uri: 'sip:+8613800138000@127.0.0.1' },
    source = '127.0.0.1',
    readonly trunk?: string,
    readonly endpoint?: string,
  ) {
    super();
    this.requestUri = `sip:${dialled}@127.0.0.1`;
    this.source = { address: source, port: 5062, transport: 'udp' };
  }

  get to() {
    return { name: '', number: this.dialled, uri: this.requestUri };
  }

  ring(): void {
    this.actions.push('ring');
  }
  progress(local: LocalMedia): void {
    this.actions.push('progress');
    this.local = local;
    this.status = 'early';
  }
  answer(local: LocalMedia): Promise<void> {
    this.actions.push('answer');
    this.local = local;
    this.status = 'answered';
    return Promise.resolve();
  }
  reject(status: number): void {
    this.actions.push(`reject ${status}`);
    this.rejectedWith = status;
    this.status = 'rejected';
  }
  hangup(cause?: number): void {
    if (this.status === 'ended') return;
    this.actions.push(`hangup ${cause ?? ''}`.trim());
    this.hangupCause = cause ?? null;
    this.status = 'ended';
    this.emit('ended', { cause: cause ?? 16, by: 'local', reason: 'hangup' } satisfies SipCallEnd);
  }

  /** The caller sends BYE. */
  bye(): void {
    this.status = 'ended';
    this.emit('ended', { cause: 16, by: 'remote', reason: 'BYE' } satisfies SipCallEnd);
  }

  infoDtmf(digit: string, durationMs = 250): void {
    this.emit('dtmf', { digit, durationMs });
  }
}

export class FakeOutboundCall extends EventEmitter implements OutboundSipCall {
  readonly id = `out-${++callSeq}`;
  readonly callId = `call-${callSeq}@fake`;
  readonly transport: SipTransport = 'udp';
  media: NegotiatedMedia | null = null;
  ended = false;
  hangupCause: number | null = null;

  constructor(
    readonly target: DialTarget,
    readonly request: InviteRequest,
  ) {
    super();
  }

  hangup(cause?: number): void {
    if (this.ended) return;
    this.ended = true;
    this.hangupCause = cause ?? 16;
    this.emit('ended', { cause: cause ?? 16, by: 'local', reason: 'hangup' } satisfies SipCallEnd);
  }

  ringing(): void {
    this.emit('progress', { status: 180, media: null });
  }
  answerIt(media: NegotiatedMedia = PCMU): void {
    this.media = media;
    this.emit('answered', media);
  }
  refuse(status: number, cause: number): void {
    this.ended = true;
    this.emit('ended', { cause, by: 'remote', status, reason: `${status}` } satisfies SipCallEnd);
  }
  bye(): void {
    this.ended = true;
    this.emit('ended', { cause: 16, by: 'remote', reason: 'BYE' } satisfies SipCallEnd);
  }
}

export class FakeSipServer implements SipServer {
  readonly udpPort = 5060;
  readonly tcpPort = 5060;
  readonly invites: FakeOutboundCall[] = [];
  private incoming: ((call: InboundSipCall) => void) | null = null;
  private stateChange: ((e: EndpointInfo) => void) | null = null;
  readonly infos = new Map<string, EndpointInfo>();
  /** What the next invite() does: answer at once, ring, or nothing (the test drives it). */
  autoAnswer: 'none' | 'ring-answer' = 'none';

  constructor(endpoints: EndpointInfo[] = []) {
    for (const e of endpoints) this.infos.set(e.name, e);
  }

  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  onIncomingCall(handler: (call: InboundSipCall) => void): void {
    this.incoming = handler;
  }
  onEndpointStateChange(handler: (endpoint: EndpointInfo) => void): void {
    this.stateChange = handler;
  }
  endpoints(): EndpointInfo[] {
    return [...this.infos.values()];
  }
  endpoint(name: string): EndpointInfo | undefined {
    return this.infos.get(name);
  }
  invite(request: InviteRequest): OutboundSipCall {
    const call = new FakeOutboundCall(request.target, request);
    this.invites.push(call);
    if (this.autoAnswer === 'ring-answer') {
      setTimeout(() => {
        call.ringing();
        setTimeout(() => call.answerIt(), 5);
      }, 5);
    }
    return call;
  }
  counts(): SipServerCounts {
    return { transactions: 0, dialogs: 0, registrations: 0, tcpConnections: 0 };
  }

  /** A call arrives. */
  call(
    dialled: string,
    options: { source?: string; trunk?: string; endpoint?: string } = {},
  ): FakeInboundCall {
    const call = new FakeInboundCall(dialled, undefined, options.source, options.trunk, options.endpoint);
    this.incoming?.(call);
    return call;
  }

  setEndpointState(name: string, state: EndpointInfo['state']): void {
    const info = this.infos.get(name);
    if (!info) return;
    info.state = state;
    this.stateChange?.({ ...info });
  }
}
