// A mixing bridge. Each member says the mix of what the other members hear (never its own
// voice), plus the bridge's own source (a playback or music on hold to the whole bridge).
//
// Two members and no bridge source is the common case (caller ↔ agent) and is a relay: the
// engine forwards each RTP packet to the other member as it arrives (see RtpEndpoint.relay),
// and this class is not asked for frames at all. Three or more members, or a bridge source, mix
// real 20 ms frames on the media clock: sum in 32 bits, subtract each member's own contribution,
// clip to 16 bits.
import { accumulate, clipInto, FrameConverter, frameSamples } from './frames.js';
import type { TargetSources } from './sources.js';

/** What a mixer needs of an endpoint (kept here so the two files do not import each other). */
export interface MixerMember {
  readonly rate: number;
  mixer: Mixer | null;
  heardFrame(tick: number): Int16Array | null;
}

interface Member {
  muted: boolean;
  /** Member's heard audio at the mixer's rate, this tick (null = silent or muted). */
  contribution: Int16Array | null;
  toMixer: FrameConverter;
  fromMixer: FrameConverter;
  out: Int16Array;
}

export class Mixer {
  readonly members = new Map<MixerMember, Member>();
  /** Recordings whose target is this mixer. */
  recorders = 0;
  private mixTick = -1;
  private hasAudio = false;
  private acc: Int32Array;
  private sourceFrame: Int16Array;
  private mixBuffer: Int16Array;

  constructor(
    readonly id: string,
    readonly sources: TargetSources,
    public rate: number,
  ) {
    this.acc = new Int32Array(frameSamples(rate));
    this.sourceFrame = new Int16Array(frameSamples(rate));
    this.mixBuffer = new Int16Array(frameSamples(rate));
  }

  /**
   * Mixes at 16 kHz from the moment a wideband member joins, so G.722/L16 members hear each
   * other in wideband; narrowband members are converted in and out.
   */
  widenTo(rate: number): void {
    if (rate <= this.rate) return;
    this.rate = rate;
    this.sources.rate = rate;
    this.acc = new Int32Array(frameSamples(rate));
    this.sourceFrame = new Int16Array(frameSamples(rate));
    this.mixBuffer = new Int16Array(frameSamples(rate));
  }

  join(endpoint: MixerMember, muted: boolean): void {
    const existing = this.members.get(endpoint);
    if (existing) {
      existing.muted = muted;
      return;
    }
    this.members.set(endpoint, {
      muted,
      contribution: null,
      toMixer: new FrameConverter(),
      fromMixer: new FrameConverter(),
      out: new Int16Array(frameSamples(endpoint.rate)),
    });
    endpoint.mixer = this;
  }

  leave(endpoint: MixerMember): void {
    if (!this.members.delete(endpoint)) return;
    if (endpoint.mixer === this) endpoint.mixer = null;
  }

  /** The other member of a two-member mixer. */
  otherThan(endpoint: MixerMember): MixerMember | null {
    if (this.members.size !== 2) return null;
    for (const m of this.members.keys()) if (m !== endpoint) return m;
    return null;
  }

  isMuted(endpoint: MixerMember): boolean {
    return this.members.get(endpoint)?.muted ?? false;
  }

  private mix(tick: number): void {
    if (this.mixTick === tick) return;
    this.mixTick = tick;
    this.acc.fill(0);
    this.hasAudio = false;
    for (const [endpoint, member] of this.members) {
      const heard = member.muted ? null : endpoint.heardFrame(tick);
      member.contribution = heard ? member.toMixer.convert(heard, this.acc.length) : null;
      if (member.contribution) {
        accumulate(this.acc, member.contribution);
        this.hasAudio = true;
      }
    }
    if (this.sources.fill(this.sourceFrame)) {
      accumulate(this.acc, this.sourceFrame);
      this.hasAudio = true;
    }
  }

  /** What `endpoint` should say this tick, at its own rate; null when there is nothing to say. */
  frameFor(endpoint: MixerMember, tick: number): Int16Array | null {
    const member = this.members.get(endpoint);
    if (!member) return null;
    if (this.members.size < 2 && !this.sources.active) return null;
    this.mix(tick);
    const own = member.contribution;
    const out = this.mixBuffer;
    clipInto(out, this.acc, own);
    const samples = frameSamples(endpoint.rate);
    if (member.out.length !== samples) member.out = new Int16Array(samples); // re-negotiated codec
    member.out.set(member.fromMixer.convert(out, samples));
    return member.out;
  }

  /** Everything in the bridge this tick (for recording the bridge). */
  mixFrame(tick: number): Int16Array | null {
    this.mix(tick);
    if (!this.hasAudio) return null;
    clipInto(this.mixBuffer, this.acc, null);
    return this.mixBuffer;
  }
}
