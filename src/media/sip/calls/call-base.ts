// What inbound and outbound calls share once a dialog exists: the confirmed session's BYE,
// INFO (DTMF), re-INVITE (hold, unhold, codec change) and the `ended` event, emitted once.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type {
  IncomingAckRequest,
  IncomingByeRequest,
  IncomingInfoRequest,
  IncomingInviteRequest,
  Session,
} from 'sip.js/lib/core/index.js';
import { causeOfReasonHeader, Q850 } from '../causes.js';
import type { Codec, LocalMedia, NegotiatedMedia, SipCallEnd, SipTransport } from '../contract.js';
import { parseInfoDtmf } from '../dtmf-info.js';
import { answerOffer, buildAnswer, buildOffer, readAnswer, type SdpOrigin } from '../sdp.js';

/** What a call needs from the server that owns it. */
export interface CallContext {
  log: Logger;
  /** Codec preference for this call (its endpoint's or trunk's, else the server's). */
  codecs: readonly Codec[];
  /** The call is over: stop routing its requests specially, forget it. */
  release(call: CallBase): void;
}

let nextId = 1;

export const sdpBody = (content: string) => ({
  contentDisposition: 'session',
  contentType: 'application/sdp',
  content,
});

export abstract class CallBase extends EventEmitter {
  readonly id = `sip-${process.pid}-${nextId++}`;
  protected currentMedia: NegotiatedMedia | null = null;
  protected session: Session | null = null;
  protected local: LocalMedia | null = null;
  protected readonly origin: SdpOrigin = { sessionId: String(Date.now()), version: 0 };
  private finished = false;

  protected constructor(
    readonly callId: string,
    readonly transport: SipTransport,
    protected readonly context: CallContext,
  ) {
    super();
  }

  get media(): NegotiatedMedia | null {
    return this.currentMedia;
  }

  get isEnded(): boolean {
    return this.finished;
  }

  /** Ends the call the right way for its state. */
  abstract hangup(cause?: number): void;

  /** Emits `ended` once and lets the server forget the call. */
  protected finish(end: SipCallEnd): void {
    if (this.finished) return;
    this.finished = true;
    this.context.log.debug({ call: this.id, callId: this.callId, ...end }, 'SIP call ended');
    this.context.release(this);
    this.tell('ended', end);
    this.removeAllListeners();
  }

  /**
   * Emits an event to the core. Our events fire from inside sip.js's timers and socket
   * handlers, where a throwing listener would crash the process: it is logged instead.
   */
  protected tell(event: string, payload: unknown): void {
    try {
      this.emit(event, payload);
    } catch (err) {
      this.context.log.error({ err, call: this.id, event }, 'SIP call event listener failed');
    }
  }

  /** The next SDP origin version: every description we send differs from the last (RFC 3264 §8). */
  protected nextOrigin(): SdpOrigin {
    this.origin.version++;
    return { ...this.origin };
  }

  /** Sends BYE on the confirmed session, if there is one. */
  protected bye(cause: number): void {
    const session = this.session;
    if (!session) return;
    try {
      session.bye(undefined, { extraHeaders: [`Reason: Q.850;cause=${cause}`] });
    } catch (err) {
      this.context.log.debug({ err, call: this.id }, 'BYE not sent');
    }
  }

  protected bindSession(session: Session): void {
    this.session = session;
    session.delegate = {
      onBye: (request) => this.onBye(request),
      onInfo: (request) => this.onInfo(request),
      onInvite: (request) => this.onReinvite(request),
      onAck: (request) => this.onAck(request),
      onAckTimeout: () => this.onAckTimeout(),
    };
  }

  protected onAck(request: IncomingAckRequest): void {
    // An ACK carries an answer when our 2xx to an offerless re-INVITE held the offer.
    const body = request.message.body;
    if (!body || !this.currentMedia) return;
    const media = readAnswer(body, [this.currentMedia.codec]);
    if (media) this.changeMedia(media);
  }

  protected onAckTimeout(): void {
    this.bye(Q850.NO_USER_RESPONSE);
    this.finish({ cause: Q850.NO_USER_RESPONSE, by: 'remote', reason: 'no ACK' });
  }

  private onBye(request: IncomingByeRequest): void {
    request.accept();
    this.session = null;
    const cause = causeOfReasonHeader(request.message.getHeaders('reason')) ?? Q850.NORMAL_CLEARING;
    this.finish({ cause, by: 'remote', reason: 'BYE' });
  }

  private onInfo(request: IncomingInfoRequest): void {
    const body = request.message.body;
    if (!body) {
      request.accept();
      return;
    }
    const dtmf = parseInfoDtmf(request.message.getHeader('content-type') ?? '', body);
    if (!dtmf) {
      request.reject({ statusCode: 400, reasonPhrase: 'No DTMF digit in INFO' });
      return;
    }
    request.accept();
    this.tell('dtmf', dtmf);
  }

  private onReinvite(request: IncomingInviteRequest): void {
    const local = this.local;
    const current = this.currentMedia;
    if (!local || !current) {
      request.reject({ statusCode: 491 });
      return;
    }
    const offer = request.message.body;
    if (!offer) {
      // An offerless re-INVITE (a session refresh): we offer what we have; the ACK answers.
      request.accept({
        statusCode: 200,
        body: sdpBody(buildOffer([current.codec], local, this.nextOrigin())),
      });
      return;
    }
    const result = answerOffer(offer, this.context.codecs, current.codec);
    if (!result.ok) {
      request.reject({ statusCode: 488, extraHeaders: [`Warning: 399 hotline "${result.reason}"`] });
      return;
    }
    const answer = buildAnswer(offer, result.media, result.index, local, this.nextOrigin());
    request.accept({ statusCode: 200, body: sdpBody(answer) });
    this.changeMedia(result.media);
  }

  protected changeMedia(media: NegotiatedMedia): void {
    this.currentMedia = media;
    this.tell('media', media);
  }
}
