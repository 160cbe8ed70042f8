// The contract between the media engine (src/media/engine, with src/media/rtp and
// src/media/codecs below it) and the channel core above it (src/media/core).
//
// The engine moves audio: RTP sockets, codecs, playback, tones, music on hold, mixing bridges,
// snoop taps, recording, RFC 4733 DTMF. It knows nothing of SIP or ARI: the core gives it ids it
// chose (channel ids, bridge ids, playback ids, recording names) and resolved media (file paths,
// tones), and hears back through events. Every command and event is plain data so the engine can
// run in a worker thread (its own core on a 2-core machine) behind this same interface.
//
// Vocabulary:
//   endpoint — the media side of one channel: an RTP endpoint (a SIP call or an externalMedia
//              channel), or a snoop endpoint (no socket; taps another endpoint).
//   heard    — audio coming from the far end into Hotline (RTP received, decoded as needed).
//   said     — audio Hotline sends to the far end (RTP sent).
//   mixer    — a mixing bridge: each member's "said" is the mix of the other members' "heard"
//              (for two members this is a relay, and should cost no decoding when codecs match).
//   source   — what a channel or mixer plays instead of / on top of the bridge audio: playback
//              (highest), then music on hold, then a tone (ringing); a channel with none of
//              these says its mixer's audio, or silence.
//
// Changing this file: keep changes backward compatible (add optional members), and note them in
// the CHANGES list below with the date, so the other side can follow.
//
// CHANGES
//   2026-11-24  first version.
//   2026-11-24  optional MediaEngine.setTalkDetection (TALK_DETECT: 'talking' events only for
//               endpoints that asked, since detection costs decoding every packet).

import type { Codec, LocalMedia } from '../sip/contract.js';

export type { Codec, LocalMedia } from '../sip/contract.js';

/** One thing to play. The core resolves media URIs (`sound:`, `digits:`, ...) into these. */
export type MediaItem =
  /** An audio file: WAV (PCM16 any rate, mono; G.711 WAV), or raw by extension (.ulaw .alaw .sln .sln16 .g722). */
  | { kind: 'file'; path: string }
  /** An Asterisk indication string, e.g. ring '440+480/2000,0/4000'; repeats until stopped unless durationMs. */
  | { kind: 'tone'; tone: string; durationMs?: number }
  | { kind: 'silence'; durationMs: number };

/** One media URI of a playlist with what it expands to (`digits:123` → three files). */
export interface PlaylistEntry {
  uri: string;
  items: MediaItem[];
}

/** Where a source plays or a recording listens. */
export type MediaTarget = { endpoint: string } | { mixer: string };

export type Direction = 'in' | 'out' | 'both';

export interface RtpEndpointSettings {
  /** Where to send; null = send nothing (peer on hold with 0.0.0.0, or not known yet). */
  remote: { address: string; port: number } | null;
  codec: Codec;
  payloadType: number;
  sampleRate: 8000 | 16000;
  rtpClockRate: number;
  dtmfPayloadType: number | null;
  ptime: number;
  /**
   * Symmetric RTP: latch onto the first source that sends valid RTP (and send there), then
   * ignore packets from any other source. True for SIP calls; false for externalMedia, whose
   * remote is fixed by the request.
   */
  latch: boolean;
  /** From Hotline's side: sendonly = we send but ignore what arrives, inactive = neither. */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

export interface RecordingOptions {
  /** Full path of the file to write, extension included. */
  path: string;
  /** wav (8 kHz PCM16), wav16 (16 kHz), ulaw, alaw, sln (raw 8 kHz PCM16), sln16. */
  format: 'wav' | 'wav16' | 'ulaw' | 'alaw' | 'sln' | 'sln16';
  maxDurationMs?: number;
  /** Stop after this much continuous silence (once something was heard). */
  maxSilenceMs?: number;
  /** Play a beep to the target before recording starts. */
  beep?: boolean;
  /** DTMF digits that stop the recording ('#', '*', 'any' or a set like '#*'). */
  terminateOn?: string;
}

export interface RtpStats {
  txCount: number;
  rxCount: number;
  txOctets: number;
  rxOctets: number;
  /** Packets lost, as counted from sequence numbers. */
  rxLost: number;
  /** Interarrival jitter (RFC 3550), seconds. */
  rxJitter: number;
  localSsrc: number;
  remoteSsrc: number;
}

export type PlaybackState = 'playing' | 'continuing' | 'done' | 'failed' | 'cancelled';

export type MediaEngineEvent =
  /** An RFC 4733 digit ended (one event per key press, not per packet). */
  | { type: 'dtmf'; endpoint: string; digit: string; durationMs: number }
  /**
   * playing: the first frame went out; continuing: the playlist moved to entry `index`;
   * done / failed (a file could not be read) / cancelled (stopped, or its target went away).
   */
  | { type: 'playback'; playback: string; state: PlaybackState; index: number }
  | {
      type: 'recording';
      recording: string;
      state: 'recording' | 'paused' | 'done' | 'failed' | 'cancelled';
      durationMs: number;
      talkingMs: number;
      silenceMs: number;
      /** Why it stopped: 'stopped', 'max-duration', 'max-silence', 'dtmf', 'hangup', or an error text. */
      cause?: string;
    }
  /** No RTP from the peer for `silentMs` while we expected it: the peer has probably vanished. */
  | { type: 'rtp-timeout'; endpoint: string; silentMs: number }
  /** Talk detection on what an endpoint hears (for ChannelTalkingStarted/Finished). */
  | { type: 'talking'; endpoint: string; talking: boolean; durationMs: number };

export interface TalkDetection {
  /** Silence that ends talking, ms (Asterisk's dsp_silence_threshold, default 2500). */
  silenceMs?: number;
  /** Average magnitude per sample that counts as talk (dsp_talking_threshold, default 160). */
  threshold?: number;
}

export interface MediaEngineCounts {
  endpoints: number;
  mixers: number;
  playbacks: number;
  recordings: number;
  /** RTP/RTCP sockets open. */
  ports: number;
}

export interface MediaEngine {
  /** Binds an RTP (and RTCP, port+1) socket pair from the configured range. */
  createRtpEndpoint(id: string, options: { bindAddress: string }): Promise<LocalMedia>;
  configureRtpEndpoint(id: string, settings: RtpEndpointSettings): void;
  /**
   * A snoop endpoint on `target`: it hears what `target` hears (spy in), says (spy out) or both;
   * what it is given (e.g. by a mixer) is whispered into `target`'s said (whisper out), heard
   * (whisper in) or both.
   */
  createSnoopEndpoint(
    id: string,
    target: string,
    options: { spy: Direction | 'none'; whisper: Direction | 'none' },
  ): void;
  /** Stops everything on the endpoint (its playbacks end 'cancelled'), frees its ports. */
  destroyEndpoint(id: string): Promise<RtpStats | null>;
  /** in: what the peer says is not passed on; out: nothing is sent to the peer. */
  setMute(id: string, mute: { in: boolean; out: boolean }): void;
  /** Sends RFC 4733 digits (0-9 * # A-D; ',' = 500 ms pause). Resolves when the last is sent. */
  sendDtmf(
    id: string,
    digits: string,
    timing?: { durationMs?: number; betweenMs?: number; beforeMs?: number; afterMs?: number },
  ): Promise<void>;

  /** Queues a playlist on a target; a target plays one playback at a time, in order. */
  play(
    playback: string,
    target: MediaTarget,
    playlist: PlaylistEntry[],
    options?: { offsetMs?: number; skipMs?: number },
  ): void;
  controlPlayback(playback: string, operation: 'pause' | 'unpause' | 'restart' | 'reverse' | 'forward'): void;
  /** Stops (or dequeues) a playback; it ends 'cancelled'. */
  stopPlayback(playback: string): void;
  startMusicOnHold(target: MediaTarget, files: string[]): void;
  stopMusicOnHold(target: MediaTarget): void;
  startTone(target: MediaTarget, tone: string): void;
  stopTone(target: MediaTarget): void;

  createMixer(id: string): void;
  /** Also used to change `muted` for a member already in. */
  joinMixer(mixer: string, endpoint: string, options?: { muted?: boolean }): void;
  leaveMixer(mixer: string, endpoint: string): void;
  destroyMixer(id: string): void;

  startRecording(recording: string, target: MediaTarget, options: RecordingOptions): void;
  /** Ends the recording ('done'), or throws its file away when `discard` ('cancelled'). */
  stopRecording(recording: string, options?: { discard?: boolean }): void;
  pauseRecording(recording: string): void;
  unpauseRecording(recording: string): void;
  muteRecording(recording: string, muted: boolean): void;

  /**
   * Turns talk detection on (or off with null) for what an endpoint hears: 'talking' events
   * with Asterisk's TALK_DETECT semantics. Off by default.
   */
  setTalkDetection?(id: string, options: TalkDetection | null): void;

  stats(endpoint: string): Promise<RtpStats | null>;
  counts(): Promise<MediaEngineCounts>;
  on(listener: (event: MediaEngineEvent) => void): void;
  /** Destroys everything and stops the engine (and its worker thread). */
  close(): Promise<void>;
}

export interface MediaEngineOptions {
  rtpPortMin: number;
  rtpPortMax: number;
  /** Silence after which an 'rtp-timeout' is reported for a sendrecv RTP endpoint (default 30 s). */
  rtpTimeoutMs?: number;
}
