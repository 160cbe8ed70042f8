// An inbound call: the INVITE we received, its answer, and its dialog.
//
// States (moveTo is the one place they change):
//   offered ──ring/progress──▶ early ──answer──▶ answering ──ACK──▶ confirmed
//      │                         │                  │                  │
//      └──reject/CANCEL/hangup───┴─────────────▶ ended ◀──no ACK───────┴──BYE (either side)
import type { IncomingAckRequest, IncomingInviteRequest } from 'sip.js/lib/core/index.js';
import { causeOfReasonHeader, causeOfStatus, Q850, statusOfCause } from '../causes.js';
import type { InboundSipCall, LocalMedia, NegotiatedMedia, SipParty, SipTransport } from '../contract.js';
import { buildAnswer } from '../sdp.js';
import { CallBase, sdpBody, type CallContext } from './call-base.js';

export type InboundState = 'offered' | 'early' | 'answering' | 'confirmed' | 'ended';

const MOVES: Record<InboundState, readonly InboundState[]> = {
  offered: ['early', 'answering', 'ended'],
  early: ['early', 'answering', 'ended'],
  answering: ['confirmed', 'ended'],
  confirmed: ['ended'],
  ended: [],
};

export interface InboundDetails {
  from: SipParty;
  to: SipParty;
  dialled: string;
  requestUri: string;
  source: { address: string; port: number; transport: SipTransport };
  trunk?: string;
  endpoint?: string;
  media: NegotiatedMedia;
  offer: string;
  offerIndex: number;
}

export class SipCallStateError extends Error {
  readonly code = 'SIP_CALL_STATE';
  constructor(action: string, state: InboundState) {
    super(`cannot ${action} a call that is ${state}`);
    this.name = 'SipCallStateError';
  }
}

export class InboundCall extends CallBase implements InboundSipCall {
  readonly from: SipParty;
  readonly to: SipParty;
  readonly dialled: string;
  readonly requestUri: string;
  readonly source: InboundDetails['source'];
  readonly trunk?: string;
  readonly endpoint?: string;
  private state: InboundState = 'offered';
  private answered: { resolve: () => void; reject: (err: Error) => void } | null = null;
  /** hangup() while we wait for the ACK: BYE as soon as it comes (RFC 3261 §15). */
  private byeAfterAck: number | null = null;

  constructor(
    private readonly request: IncomingInviteRequest,
    private readonly details: InboundDetails,
    context: CallContext,
  ) {
    super(request.message.callId, details.source.transport, context);
    this.from = details.from;
    this.to = details.to;
    this.dialled = details.dialled;
    this.requestUri = details.requestUri;
    this.source = details.source;
    this.trunk = details.trunk;
    this.endpoint = details.endpoint;
    this.currentMedia = details.media;
    request.delegate = {
      onCancel: (message) => this.onCancel(causeOfReasonHeader(message.getHeaders('reason'))),
    };
  }

  override get media(): NegotiatedMedia {
    return this.currentMedia!;
  }

  get callState(): InboundState {
    return this.state;
  }

  private moveTo(next: InboundState, action: string): void {
    if (!MOVES[this.state].includes(next)) throw new SipCallStateError(action, this.state);
    this.state = next;
  }

  ring(): void {
    this.moveTo('early', 'ring');
    this.request.progress({ statusCode: 180 });
  }

  progress(local: LocalMedia): void {
    this.moveTo('early', 'send early media on');
    this.local = local;
    this.request.progress({ statusCode: 183, body: sdpBody(this.answerSdp(local)) });
  }

  answer(local: LocalMedia): Promise<void> {
    try {
      this.moveTo('answering', 'answer');
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const sameAsEarly = this.local && this.local.address === local.address && this.local.port === local.port;
    const body = sameAsEarly ? this.answerSdpAgain(local) : this.answerSdp(local);
    this.local = local;
    const done = new Promise<void>((resolve, reject) => (this.answered = { resolve, reject }));
    // A caller of answer() that stops listening must not turn a late failure into a crash.
    done.catch(() => {});
    const { session } = this.request.accept({ statusCode: 200, body: sdpBody(body) });
    this.bindSession(session);
    return done;
  }

  reject(status: number, reason?: string): void {
    if (status < 300 || status > 699)
      throw new RangeError(`a call is rejected with a 3xx-6xx status, not ${status}`);
    this.moveTo('ended', 'reject');
    this.request.reject({ statusCode: status, reasonPhrase: reason });
    this.finish({ cause: causeOfStatus(status), by: 'local', status, reason: reason ?? String(status) });
  }

  hangup(cause: number = Q850.NORMAL_CLEARING): void {
    switch (this.state) {
      case 'offered':
      case 'early': {
        const status = statusOfCause(cause);
        this.moveTo('ended', 'hang up');
        this.request.reject({ statusCode: status });
        this.finish({ cause, by: 'local', status, reason: 'hangup' });
        return;
      }
      case 'answering':
        this.byeAfterAck = cause;
        this.end({ cause, by: 'local', reason: 'hangup' });
        return;
      case 'confirmed':
        this.bye(cause);
        this.end({ cause, by: 'local', reason: 'hangup' });
        return;
      case 'ended':
        return;
    }
  }

  /** The server is stopping: unanswered calls get 503, the rest are hung up. */
  shutdown(): void {
    if (this.state === 'offered' || this.state === 'early') this.reject(503, 'Service Unavailable');
    else this.hangup(Q850.NORMAL_CLEARING);
  }

  private answerSdp(local: LocalMedia): string {
    return buildAnswer(this.details.offer, this.media, this.details.offerIndex, local, this.nextOrigin());
  }

  /** The 200 repeats the 183's description (same address): same version, as RFC 3264 asks. */
  private answerSdpAgain(local: LocalMedia): string {
    return buildAnswer(this.details.offer, this.media, this.details.offerIndex, local, { ...this.origin });
  }

  private onCancel(reasonCause: number | undefined): void {
    if (this.state !== 'offered' && this.state !== 'early') return;
    this.moveTo('ended', 'cancel');
    this.request.reject({ statusCode: 487 });
    this.finish({ cause: reasonCause ?? Q850.NORMAL_CLEARING, by: 'remote', status: 487, reason: 'CANCEL' });
  }

  protected override onAck(request: IncomingAckRequest): void {
    if (this.byeAfterAck !== null) {
      const cause = this.byeAfterAck;
      this.byeAfterAck = null;
      this.bye(cause);
      return;
    }
    if (this.state === 'answering') {
      this.moveTo('confirmed', 'confirm');
      const answered = this.answered;
      this.answered = null;
      answered?.resolve();
      return;
    }
    super.onAck(request);
  }

  protected override onAckTimeout(): void {
    if (this.byeAfterAck !== null) {
      const cause = this.byeAfterAck;
      this.byeAfterAck = null;
      this.bye(cause);
      return;
    }
    if (this.state !== 'ended') super.onAckTimeout();
  }

  private end(end: { cause: number; by: 'local' | 'remote'; reason: string }): void {
    this.finish(end);
  }

  protected override finish(end: Parameters<CallBase['finish']>[0]): void {
    this.state = 'ended';
    const answered = this.answered;
    this.answered = null;
    const why =
      end.reason === 'no ACK'
        ? 'the caller never acknowledged the answer (no ACK)'
        : `the call ended before the ACK (${end.reason})`;
    answered?.reject(
      Object.assign(new Error(why), { code: end.reason === 'no ACK' ? 'NO_ACK' : 'CALL_ENDED' }),
    );
    super.finish(end);
  }
}
