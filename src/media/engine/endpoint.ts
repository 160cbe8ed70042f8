// What RTP endpoints and snoop endpoints have in common: the sources playing to them, the mixer
// they are in, the snoops tapping them, and the two per-tick audio streams every consumer reads
// — `heard` (from the far end, into Hotline) and `said` (from Hotline to the far end). Both are
// computed at most once per tick and only when someone asks, so a relayed call that nobody
// records or mixes never decodes a sample.
import type { Direction } from './contract.js';
import { accumulate, clipInto, frameSamples } from './frames.js';
import type { Mixer } from './mixer.js';
import type { TargetSources } from './sources.js';
import type { TalkDetector } from './talk-detector.js';

/** A snoop as its target sees it: where it whispers. */
export interface WhisperTap {
  readonly whisper: Direction | 'none';
  readonly spy: Direction | 'none';
  saidFrame(tick: number): Int16Array | null;
}

export abstract class Endpoint {
  abstract readonly kind: 'rtp' | 'snoop';
  mixer: Mixer | null = null;
  readonly snoops = new Set<WhisperTap>();
  muteIn = false;
  muteOut = false;
  /** Recordings whose target is this endpoint. */
  recorders = 0;
  talk: TalkDetector | null = null;
  /** Sending on the media clock (set by the engine's topology pass; RTP only). */
  clocked = false;

  private peerTick = -1;
  private peerCache: Int16Array | null = null;
  private heardTick = -1;
  private heardCache: Int16Array | null = null;
  private saidTick = -1;
  private saidCache: Int16Array | null = null;
  private computingSaid = false;
  private heardBuffer: Int16Array;
  private saidBuffer: Int16Array;
  private acc: Int32Array;

  protected constructor(
    readonly id: string,
    public rate: number,
    readonly sources: TargetSources,
  ) {
    this.heardBuffer = new Int16Array(frameSamples(rate));
    this.saidBuffer = new Int16Array(frameSamples(rate));
    this.acc = new Int32Array(frameSamples(rate));
  }

  get frameSamples(): number {
    return this.saidBuffer.length;
  }

  protected setRate(rate: number): void {
    if (rate === this.rate) return;
    this.rate = rate;
    this.sources.rate = rate;
    this.heardBuffer = new Int16Array(frameSamples(rate));
    this.saidBuffer = new Int16Array(frameSamples(rate));
    this.acc = new Int32Array(frameSamples(rate));
  }

  /** This tick's audio from the far end (RTP: the jitter buffer; snoop: the tapped audio). */
  protected abstract pullPeer(tick: number): Int16Array | null;

  /** What the far end said this tick, after mute; null = silence. */
  peerFrame(tick: number): Int16Array | null {
    if (this.peerTick !== tick) {
      this.peerTick = tick;
      const frame = this.pullPeer(tick);
      this.peerCache = this.muteIn ? null : frame;
    }
    return this.peerCache;
  }

  /** What Hotline hears from this endpoint: the far end plus snoops whispering 'in'. */
  heardFrame(tick: number): Int16Array | null {
    if (this.heardTick === tick) return this.heardCache;
    this.heardTick = tick;
    this.heardCache = this.withWhispers(this.peerFrame(tick), 'in', this.heardBuffer, tick);
    return this.heardCache;
  }

  /** What Hotline says to the far end this tick: a source, else the mixer, plus whispers 'out'. */
  saidFrame(tick: number): Int16Array | null {
    if (this.saidTick === tick) return this.saidCache;
    if (this.computingSaid) return null; // a snoop tapping its own target's mixer: break the loop
    this.computingSaid = true;
    try {
      let frame: Int16Array | null = null;
      if (this.sources.fill(this.saidBuffer)) frame = this.saidBuffer;
      else if (this.mixer) frame = this.mixer.frameFor(this, tick);
      this.saidCache = this.withWhispers(frame, 'out', this.saidBuffer, tick);
      this.saidTick = tick;
      return this.saidCache;
    } finally {
      this.computingSaid = false;
    }
  }

  private withWhispers(
    frame: Int16Array | null,
    direction: 'in' | 'out',
    buffer: Int16Array,
    tick: number,
  ): Int16Array | null {
    if (this.snoops.size === 0) return frame;
    let mixed = false;
    for (const snoop of this.snoops) {
      if (snoop.whisper !== direction && snoop.whisper !== 'both') continue;
      const whisper = snoop.saidFrame(tick);
      if (!whisper || whisper.length !== this.acc.length) continue;
      if (!mixed) {
        if (frame) for (let i = 0; i < this.acc.length; i++) this.acc[i] = frame[i]!;
        else this.acc.fill(0);
        mixed = true;
      }
      accumulate(this.acc, whisper);
    }
    if (!mixed) return frame;
    clipInto(buffer, this.acc, null);
    return buffer;
  }

  /** Snoops of this endpoint that need its `said` audio as PCM (spy or whisper 'out'). */
  get tappedOut(): boolean {
    for (const s of this.snoops)
      if (s.spy === 'out' || s.spy === 'both' || s.whisper === 'out' || s.whisper === 'both') return true;
    return false;
  }

  get tappedIn(): boolean {
    for (const s of this.snoops)
      if (s.spy === 'in' || s.spy === 'both' || s.whisper === 'in' || s.whisper === 'both') return true;
    return false;
  }

  /** A snoop adds audio to what this endpoint hears, so its packets cannot be passed on as they are. */
  get whisperedIn(): boolean {
    for (const s of this.snoops) if (s.whisper === 'in' || s.whisper === 'both') return true;
    return false;
  }
}
