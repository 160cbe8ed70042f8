// What the IVR needs from ARI, one small interface per resource (channel, playback, recording,
// bridge, outbound dial), so verbs and their tests depend on the few operations they use and not
// on a whole ari-client. `ari.ts` implements them over ari-client; the same code runs against the
// embedded media server and Asterisk because both speak ARI. Unit tests use the fakes in
// `fakes.ts`.

export type PlaybackEnd = 'done' | 'failed' | 'cancelled';

/** One media URI (or several, played in order) on the caller's channel. */
export interface Playback {
  readonly id: string;
  /** Resolves when the first audio went out (PlaybackStarted); never rejects. */
  readonly started: Promise<void>;
  /** Resolves once with how it ended (PlaybackFinished, or cancelled when stopped / the caller left). */
  readonly finished: Promise<PlaybackEnd>;
  /** Stops it now; harmless when it already ended. */
  stop(): Promise<void>;
}

export interface RecordOptions {
  /** Unique recording name (the server stores `<name>.<format>`). */
  name: string;
  format: 'wav';
  maxDurationSeconds?: number;
  maxSilenceSeconds?: number;
  beep?: boolean;
  /** DTMF that ends the recording: 'none', 'any', '*', '#'. */
  terminateOn?: string;
}

export interface RecordingResult {
  name: string;
  format: string;
  state: 'done' | 'failed' | 'cancelled';
  durationSeconds: number | null;
}

export interface Recording {
  readonly name: string;
  /** Resolves once when the server finished (or failed) the recording; never rejects. */
  readonly finished: Promise<RecordingResult>;
  /** Ends it now, keeping what was recorded. Harmless when it already ended. */
  stop(): Promise<void>;
}

/** Why the caller's channel is no longer ours. */
export interface ChannelGone {
  reason: 'hangup' | 'left-application';
  /** Q.850 cause when the server said (16 normal clearing when the caller hung up). */
  cause: number | null;
}

/** The caller's channel as the IVR sees it. */
export interface CallChannel {
  readonly id: string;
  readonly callerNumber: string;
  readonly callerName: string;
  /** The number the caller dialled (the flow is chosen by it). */
  readonly dialled: string;
  /** Aborted when the caller hangs up or the channel leaves the application; `reason` is a ChannelGone. */
  readonly gone: AbortSignal;
  readonly answered: boolean;
  answer(): Promise<void>;
  hangup(): Promise<void>;
  /** Queues media on the channel (playbacks on one channel play one after another). */
  play(media: string, options?: { lang?: string }): Promise<Playback>;
  record(options: RecordOptions): Promise<Recording>;
  startMoh(mohClass?: string): Promise<void>;
  stopMoh(): Promise<void>;
  /** Key presses (RFC 4733 or SIP INFO, as the server reports them). Returns the unsubscribe. */
  onDtmf(listener: (digit: string) => void): () => void;
}

/** An outbound leg the IVR dialled (a transfer target) that answered. */
export interface DialledLeg {
  readonly id: string;
  readonly gone: AbortSignal;
  hangup(): Promise<void>;
}

export interface Dialer {
  /**
   * Dials an ARI endpoint (`PJSIP/agent1`, `PJSIP/10086@carrier`) and resolves once it answers.
   * Rejects with IVR_DIAL_FAILED when it does not (busy, no answer within `timeoutSeconds`,
   * unknown endpoint), or IVR_VERB_KILLED when `signal` aborts first (the leg is hung up).
   */
  dial(
    endpoint: string,
    options: { callerId: string; timeoutSeconds: number; signal?: AbortSignal },
  ): Promise<DialledLeg>;
}

export interface MixingBridge {
  readonly id: string;
  addChannels(channelIds: string[]): Promise<void>;
  destroy(): Promise<void>;
}

export interface Bridges {
  createMixing(name: string): Promise<MixingBridge>;
}
