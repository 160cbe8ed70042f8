// A snoop endpoint taps another endpoint (Asterisk's snoopChannel): it hears what the target
// hears (spy 'in'), says (spy 'out') or both; what it is given — by a mixer it is in, or a
// playback on it — is whispered into the target's said audio ('out'), heard audio ('in') or both.
// It has no socket; its audio lives only on the media clock.
import type { Direction } from './contract.js';
import { Endpoint, type WhisperTap } from './endpoint.js';
import { frameSamples } from './frames.js';
import type { TargetSources } from './sources.js';

export class SnoopEndpoint extends Endpoint implements WhisperTap {
  readonly kind = 'snoop' as const;
  private readonly both: Int16Array;

  constructor(
    id: string,
    public target: Endpoint | null,
    readonly spy: Direction | 'none',
    readonly whisper: Direction | 'none',
    sources: TargetSources,
  ) {
    super(id, target?.rate ?? 8000, sources);
    this.both = new Int16Array(frameSamples(this.rate));
    target?.snoops.add(this);
  }

  protected pullPeer(tick: number): Int16Array | null {
    const target = this.target;
    if (!target || this.spy === 'none') return null;
    const heard = this.spy === 'out' ? null : target.peerFrame(tick);
    const said = this.spy === 'in' ? null : target.saidFrame(tick);
    if (this.spy !== 'both') return heard ?? said;
    if (!heard || !said || heard.length !== said.length || heard.length !== this.both.length)
      return heard ?? said;
    for (let i = 0; i < this.both.length; i++) {
      const v = heard[i]! + said[i]!;
      this.both[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return this.both;
  }

  detach(): void {
    this.target?.snoops.delete(this);
    this.target = null;
  }
}
