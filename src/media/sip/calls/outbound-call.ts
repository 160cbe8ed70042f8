// An outbound call: our INVITE to a registered endpoint or a configured trunk.
//
// States (moveTo is the one place they change):
//   calling ──1xx──▶ early ──2xx (ACKed)──▶ confirmed
//      │               │                        │
//      └──3xx-6xx / timeout / hangup (CANCEL)───┴──BYE (either side)──▶ ended
import type {
  AckableIncomingResponseWithSession,
  IncomingResponse,
  OutgoingInviteRequest,
  OutgoingInviteRequestDelegate,
  PrackableIncomingResponseWithSession,
} from 'sip.js/lib/core/index.js';
import { causeOfStatus, Q850 } from '../causes.js';
import type { Codec, DialTarget, NegotiatedMedia, OutboundSipCall, SipTransport } from '../contract.js';
import { readAnswer } from '../sdp.js';
import { CallBase, type CallContext } from './call-base.js';

export type OutboundState = 'calling' | 'early' | 'confirmed' | 'ended';

const MOVES: Record<OutboundState, readonly OutboundState[]> = {
  calling: ['early', 'confirmed', 'ended'],
  early: ['early', 'confirmed', 'ended'],
  confirmed: ['ended'],
  ended: [],
};

export class OutboundCall extends CallBase implements OutboundSipCall {
  private state: OutboundState = 'calling';
  private request: OutgoingInviteRequest | null = null;

  constructor(
    callId: string,
    transport: SipTransport,
    readonly target: DialTarget,
    private readonly offered: readonly Codec[],
    local: { address: string; port: number },
    context: CallContext,
  ) {
    super(callId, transport, context);
    this.local = local;
  }

  get callState(): OutboundState {
    return this.state;
  }

  /** The SDP origin of our offer (version 1). */
  offerOrigin() {
    return this.nextOrigin();
  }

  /** sip.js's delegate for our INVITE's responses. */
  delegate(): OutgoingInviteRequestDelegate {
    return {
      onProgress: (response) => this.onProgress(response),
      onAccept: (response) => this.onAccept(response),
      onRedirect: (response) => this.onFailure(response),
      onReject: (response) => this.onFailure(response),
    };
  }

  sent(request: OutgoingInviteRequest): void {
    this.request = request;
  }

  private moveTo(next: OutboundState): void {
    if (!MOVES[this.state].includes(next))
      throw new Error(`outbound call cannot go from ${this.state} to ${next}`);
    this.state = next;
  }

  hangup(cause: number = Q850.NORMAL_CLEARING): void {
    if (this.state === 'ended') return;
    if (this.state === 'confirmed') {
      this.bye(cause);
    } else {
      try {
        // sip.js holds the CANCEL until a provisional response arrives (RFC 3261 §9.1).
        this.request?.cancel(`Q.850;cause=${cause}`);
      } catch (err) {
        this.context.log.debug({ err, call: this.id }, 'CANCEL not sent');
      }
    }
    this.moveTo('ended');
    this.finish({ cause, by: 'local', reason: this.session ? 'hangup' : 'CANCEL' });
  }

  shutdown(): void {
    this.hangup(Q850.NORMAL_CLEARING);
  }

  private onProgress(response: PrackableIncomingResponseWithSession): void {
    if (this.state !== 'calling' && this.state !== 'early') return;
    const status = response.message.statusCode ?? 180;
    const body = response.message.body;
    const media = body ? readAnswer(body, this.offered) : null;
    this.moveTo('early');
    if (media) this.currentMedia = media;
    this.tell('progress', { status, media });
  }

  private onAccept(response: AckableIncomingResponseWithSession): void {
    response.ack();
    if (this.state === 'ended' || this.state === 'confirmed') {
      // A 2xx after our CANCEL, or from a second fork: acknowledge it and leave at once.
      this.byeSession(response);
      return;
    }
    const body = response.message.body;
    const media: NegotiatedMedia | null = (body ? readAnswer(body, this.offered) : null) ?? this.currentMedia;
    this.bindSession(response.session);
    if (!media) {
      this.bye(Q850.BEARERCAPABILITY_NOTAVAIL);
      this.moveTo('ended');
      this.finish({
        cause: Q850.BEARERCAPABILITY_NOTAVAIL,
        by: 'remote',
        reason: 'answer without a codec we offered',
      });
      return;
    }
    this.moveTo('confirmed');
    this.currentMedia = media;
    this.tell('answered', media);
  }

  private byeSession(response: AckableIncomingResponseWithSession): void {
    try {
      response.session.bye();
    } catch (err) {
      this.context.log.debug({ err, call: this.id }, 'BYE to an unwanted answer not sent');
    }
  }

  private onFailure(response: IncomingResponse): void {
    if (this.state === 'ended' || this.state === 'confirmed') return;
    const status = response.message.statusCode ?? 500;
    // sip.js reports a transaction timeout as a 408 and a transport failure as a 503 it made up
    // itself: those have no Call-ID.
    const internal = !response.message.callId;
    const reason = internal
      ? status === 408
        ? 'no response'
        : 'transport error'
      : `${status} ${response.message.reasonPhrase ?? ''}`.trim();
    this.moveTo('ended');
    this.finish({ cause: causeOfStatus(status), by: 'remote', status, reason });
  }
}
