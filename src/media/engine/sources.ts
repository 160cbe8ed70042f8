// What a target (an endpoint or a mixer) plays instead of its bridge audio, in priority order:
// its playbacks (one at a time, queued in order), then music on hold, then a tone.
import type { AudioFiles } from './audio-files.js';
import type { MediaEngineEvent, PlaylistEntry } from './contract.js';
import { MusicOnHold } from './music-on-hold.js';
import { Playback } from './playback.js';
import { parseTone, ToneGenerator } from './tones.js';

export class TargetSources {
  readonly queue: Playback[] = [];
  private moh: MusicOnHold | null = null;
  private tone: ToneGenerator | null = null;

  constructor(
    /** Audio rate of the target (8000 or 16000). */
    public rate: number,
    private readonly files: AudioFiles,
    private readonly emit: (event: MediaEngineEvent) => void,
    /** Called when the target starts or stops having something to play (topology may change). */
    private readonly onChange: () => void,
  ) {}

  /** Whether fill() would write audio now. */
  get active(): boolean {
    return (this.queue[0]?.audible ?? false) || this.moh !== null || this.tone !== null;
  }

  /** Whether anything is queued, loading or playing (the target is busy even before audio starts). */
  get busy(): boolean {
    return this.queue.length > 0 || this.moh !== null || this.tone !== null;
  }

  play(id: string, playlist: PlaylistEntry[], options: { offsetMs?: number; skipMs?: number }): Playback {
    const playback = new Playback(id, playlist, options, this.emit);
    this.queue.push(playback);
    if (this.queue.length === 1) this.startHead();
    return playback;
  }

  private startHead(): void {
    const head = this.queue[0];
    if (!head) return;
    void head.load(this.files, this.rate).then(() => {
      if (head.finished) this.removeFinished();
      this.onChange();
    });
  }

  private removeFinished(): void {
    const headWasFinished = this.queue[0]?.finished ?? false;
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.finished) this.queue.splice(i, 1);
    if (headWasFinished) this.startHead();
  }

  /** Stops a playback (current or queued): it ends 'cancelled'. */
  stop(playback: Playback): void {
    playback.finish('cancelled');
    this.removeFinished();
    this.onChange();
  }

  startMusicOnHold(files: string[]): void {
    if (this.moh) this.moh.stopped = true;
    this.moh = new MusicOnHold(files, this.files, this.rate);
    this.onChange();
  }

  stopMusicOnHold(): void {
    if (!this.moh) return;
    this.moh.stopped = true;
    this.moh = null;
    this.onChange();
  }

  /** Throws MediaEngineError(BAD_TONE) for a tone it cannot parse. */
  startTone(tone: string): void {
    this.tone = new ToneGenerator(parseTone(tone), this.rate);
    this.onChange();
  }

  stopTone(): void {
    if (!this.tone) return;
    this.tone = null;
    this.onChange();
  }

  /** Writes the frame of the highest-priority source; false when there is none. */
  fill(out: Int16Array): boolean {
    const head = this.queue[0];
    if (head?.audible) {
      if (head.fill(out)) return true;
      this.removeFinished();
      this.onChange();
      return this.fill(out);
    }
    if (this.moh) {
      this.moh.fill(out);
      return true;
    }
    if (this.tone) {
      this.tone.fill(out);
      if (this.tone.finished) {
        this.tone = null;
        this.onChange();
      }
      return true;
    }
    return false;
  }

  /** Ends everything (the target is going away): playbacks end 'cancelled'. */
  clear(): void {
    for (const playback of this.queue.splice(0)) playback.finish('cancelled');
    if (this.moh) this.moh.stopped = true;
    this.moh = null;
    this.tone = null;
  }
}
