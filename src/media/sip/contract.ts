// The contract between the SIP layer (src/media/sip) and the channel core above it
// (src/media/core). The SIP layer knows SIP, SDP and registrations; it knows nothing of ARI,
// channels, bridges or RTP sockets. The core knows ARI semantics and never parses SIP.
//
// Who does what for an inbound call:
//   1. SIP receives an INVITE, answers 100 Trying, parses the SDP offer and picks a codec it
//      supports (488 at once when none matches, before the core ever sees the call).
//   2. It hands the core an InboundSipCall (`onIncomingCall`). The core decides: unknown number
//      → reject(404), over capacity → reject(503), else it creates a channel, allocates an RTP
//      port from the media engine and later calls ring()/progress()/answer() with that port.
//   3. Everything afterwards (re-INVITE, INFO DTMF, BYE, CANCEL, a peer that never ACKs) comes
//      back to the core as events on the call object; the core never sees a SIP message.
//
// Changing this file: keep changes backward compatible (add optional members), and note them in
// the CHANGES list below with the date, so the other side can follow.
//
// CHANGES
//   2026-11-24  first version.

/** Audio codecs Hotline negotiates. G722 is 16 kHz audio on an 8 kHz RTP clock (RFC 3551). */
export type Codec = 'PCMU' | 'PCMA' | 'G722' | 'L16';

/** Display name and user part of a From/To/Contact header; `uri` is the whole SIP URI. */
export interface SipParty {
  name: string;
  number: string;
  uri: string;
}

/** What an offer/answer exchange settled on for one call's audio. */
export interface NegotiatedMedia {
  codec: Codec;
  payloadType: number;
  /** Audio sample rate of the codec: 8000 for PCMU/PCMA, 16000 for G722 and L16/16000. */
  sampleRate: 8000 | 16000;
  /** RTP timestamp clock (8000 for G722 even though it carries 16 kHz audio). */
  rtpClockRate: number;
  /** telephone-event payload type, or null when the peer did not offer RFC 4733. */
  dtmfPayloadType: number | null;
  /** Packetisation time in ms (20 unless the peer asked otherwise). */
  ptime: number;
  /** Where to send RTP; null when the peer holds with c=0.0.0.0 or gave no address. */
  remote: { address: string; port: number } | null;
  /** The direction from the peer's point of view, as in its SDP (hold = sendonly/inactive). */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

/** The local RTP address the core allocated (from the media engine) for a call. */
export interface LocalMedia {
  address: string;
  port: number;
}

export type SipTransport = 'udp' | 'tcp';

/** Why and how a call ended, as the core reports it in ARI (`ChannelDestroyed.cause`). */
export interface SipCallEnd {
  /** Q.850 cause: 16 normal clearing, 17 busy, 18 no user responding, 19 no answer, 21 rejected, ... */
  cause: number;
  /** Who ended it. */
  by: 'remote' | 'local';
  /** The SIP status when the call ended with a failure response (e.g. 486, 487, 408), if any. */
  status?: number;
  /** Human-readable reason for logs, e.g. 'BYE', 'CANCEL', 'no ACK', 'transport error'. */
  reason: string;
}

export interface SipCallEvents {
  /** The peer changed the media with a re-INVITE (hold/unhold, codec, address). */
  media: (media: NegotiatedMedia) => void;
  /** A DTMF digit arrived by SIP INFO (application/dtmf-relay or application/dtmf). */
  dtmf: (dtmf: { digit: string; durationMs: number }) => void;
  /** The call is over, whatever the reason. Emitted exactly once; the object is dead after it. */
  ended: (end: SipCallEnd) => void;
}

export interface SipCall {
  /** Internal id, unique in this process. */
  readonly id: string;
  /** The SIP Call-ID (ARI shows it as the channel's protocol_id). */
  readonly callId: string;
  readonly transport: SipTransport;
  /** The negotiated media, null until known (an outbound call before its answer). */
  readonly media: NegotiatedMedia | null;
  /** Ends the call the right way for its state: CANCEL, BYE or a final response. */
  hangup(cause?: number): void;
  on<E extends keyof SipCallEvents>(event: E, listener: SipCallEvents[E]): this;
  once<E extends keyof SipCallEvents>(event: E, listener: SipCallEvents[E]): this;
  off<E extends keyof SipCallEvents>(event: E, listener: SipCallEvents[E]): this;
}

export interface InboundSipCall extends SipCall {
  readonly from: SipParty;
  readonly to: SipParty;
  /** The Request-URI's user part: the number the caller dialled. */
  readonly dialled: string;
  readonly requestUri: string;
  /** Where the INVITE came from (after rport/received). */
  readonly source: { address: string; port: number; transport: SipTransport };
  /** The configured trunk the source address matched, if any. */
  readonly trunk?: string;
  /** The configured endpoint that sent it (authenticated by digest), if any. */
  readonly endpoint?: string;
  /** The codec the SIP layer chose from the offer; known from the start for inbound calls. */
  readonly media: NegotiatedMedia;
  /** 180 Ringing (no SDP). */
  ring(): void;
  /** 183 Session Progress with our SDP answer: early media (prompts before the answer). */
  progress(local: LocalMedia): void;
  /** 200 OK with our SDP answer. Resolves when the ACK arrives; rejects if it never does. */
  answer(local: LocalMedia): Promise<void>;
  /** A final failure response (404, 486, 488, 503, 603, ...). */
  reject(status: number, reason?: string): void;
}

export interface OutboundSipCallEvents extends SipCallEvents {
  /** 180/183 from the far end; `media` is set when a 183 carried SDP (early media). */
  progress: (info: { status: number; media: NegotiatedMedia | null }) => void;
  /** 200 OK received (and ACKed). */
  answered: (media: NegotiatedMedia) => void;
}

export interface OutboundSipCall extends Omit<SipCall, 'on' | 'once' | 'off'> {
  readonly target: DialTarget;
  on<E extends keyof OutboundSipCallEvents>(event: E, listener: OutboundSipCallEvents[E]): this;
  once<E extends keyof OutboundSipCallEvents>(event: E, listener: OutboundSipCallEvents[E]): this;
  off<E extends keyof OutboundSipCallEvents>(event: E, listener: OutboundSipCallEvents[E]): this;
}

/**
 * Where an outbound call goes. Only configured endpoints (their registered contacts) and
 * configured trunks: never an arbitrary URI (Hotline is not an open relay).
 * ARI `PJSIP/agent1` → { endpoint: 'agent1' }; `PJSIP/12345@carrier` → { trunk: 'carrier', number: '12345' }.
 */
export type DialTarget = { endpoint: string } | { trunk: string; number: string };

export interface InviteRequest {
  target: DialTarget;
  /** Caller id to present (From header). */
  from: { name: string; number: string };
  /** Our RTP address for the SDP offer. */
  local: LocalMedia;
  /** Codecs to offer, in order of preference (default: all configured). */
  codecs?: Codec[];
}

export interface EndpointInfo {
  name: string;
  kind: 'endpoint' | 'trunk';
  /** Registered (endpoints) or reachable/configured (trunks). */
  state: 'online' | 'offline' | 'unknown';
  /** Registered contact URIs (endpoints only). */
  contacts: string[];
}

/** Typed failure of a SIP-layer request, e.g. inviting an endpoint that is not configured. */
export class SipError extends Error {
  constructor(
    readonly code: 'ENDPOINT_NOT_FOUND' | 'ENDPOINT_OFFLINE' | 'TRUNK_NOT_FOUND' | 'TRANSPORT_ERROR',
    message: string,
  ) {
    super(message);
    this.name = 'SipError';
  }
}

export interface SipServerCounts {
  transactions: number;
  dialogs: number;
  registrations: number;
  tcpConnections: number;
}

export interface SipServer {
  /** The ports actually bound (useful when configured as 0). */
  readonly udpPort: number;
  readonly tcpPort: number;
  start(): Promise<void>;
  /** Ends every call (BYE/CANCEL/503), closes sockets. */
  stop(): Promise<void>;
  onIncomingCall(handler: (call: InboundSipCall) => void): void;
  /** An endpoint registered, unregistered or expired. */
  onEndpointStateChange(handler: (endpoint: EndpointInfo) => void): void;
  endpoints(): EndpointInfo[];
  endpoint(name: string): EndpointInfo | undefined;
  /** Starts an outbound call; throws SipError when the target is unknown or offline. */
  invite(request: InviteRequest): OutboundSipCall;
  counts(): SipServerCounts;
}
