// ChannelDriver for PJSIP channels: signalling through a SipCall (inbound or outbound), media
// through the engine endpoint named after the channel.
import type {
  InboundSipCall,
  LocalMedia,
  NegotiatedMedia,
  OutboundSipCall,
  SipCall,
} from '../sip/contract.js';
import type { ChannelDriver } from './channel.js';

export class InboundSipDriver implements ChannelDriver {
  readonly technology = 'PJSIP' as const;
  readonly reportsQos = true;
  private ended = false;
  private progressed = false;

  constructor(
    readonly call: InboundSipCall,
    private readonly local: () => LocalMedia | null,
    /** Starts sending RTP to the caller (early media or answer). */
    private readonly startMedia: () => void,
  ) {}

  get protocolId(): string {
    return this.call.callId;
  }

  codec() {
    return this.call.media.codec;
  }

  async answer(): Promise<void> {
    const local = this.local();
    if (!local || this.ended) return;
    this.startMedia();
    // The channel is Up once the 200 OK is out; a missing ACK ends the call through `ended`.
    this.call.answer(local).catch(() => undefined);
    await Promise.resolve();
  }

  indicateRinging(): void {
    if (!this.ended) this.call.ring();
  }

  indicateProgress(): void {
    const local = this.local();
    if (!local || this.ended || this.progressed) return;
    this.progressed = true;
    this.startMedia();
    this.call.progress(local);
  }

  hangup(cause: number): void {
    if (this.ended) return;
    this.ended = true;
    this.call.hangup(cause);
  }

  /** The call already ended from the far side. */
  markEnded(): void {
    this.ended = true;
  }
}

export class OutboundSipDriver implements ChannelDriver {
  readonly technology = 'PJSIP' as const;
  readonly reportsQos = true;
  call: OutboundSipCall | null = null;
  media: NegotiatedMedia | null = null;
  private ended = false;
  private callId = '';

  get protocolId(): string {
    return this.call?.callId ?? this.callId;
  }

  /** Before the INVITE exists, Asterisk already shows a Call-ID; so do we, then keep the real one. */
  presetCallId(id: string): void {
    this.callId = id;
  }

  attach(call: OutboundSipCall): void {
    this.call = call;
  }

  codec() {
    return this.media?.codec ?? this.call?.media?.codec ?? null;
  }

  answer(): Promise<void> {
    return Promise.resolve();
  }

  indicateRinging(): void {}

  indicateProgress(): void {}

  hangup(cause: number): void {
    if (this.ended) return;
    this.ended = true;
    (this.call as SipCall | null)?.hangup(cause);
  }

  markEnded(): void {
    this.ended = true;
  }
}
