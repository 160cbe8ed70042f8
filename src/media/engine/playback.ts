// One playback: a playlist of media URIs, each expanded by the core into items (files, tones,
// silence), played frame by frame on the media clock. Knows pause/unpause/restart/reverse/
// forward (Asterisk skips 3 s by default), offsetMs and skipMs, and reports playing →
// continuing (entry n) → done / failed / cancelled.
import type { MediaEngineEvent, PlaylistEntry } from './contract.js';
import type { AudioFiles } from './audio-files.js';
import { parseTone, ToneGenerator } from './tones.js';

type Segment =
  | { kind: 'pcm'; samples: Int16Array }
  | { kind: 'silence'; length: number }
  | { kind: 'tone'; tone: string; durationMs: number | undefined; generator: ToneGenerator };

export type PlaybackPhase = 'queued' | 'loading' | 'ready' | 'playing' | 'paused' | 'finished';

export class Playback {
  phase: PlaybackPhase = 'queued';
  private entries: Segment[][] = [];
  private entry = 0;
  private segment = 0;
  private offset = 0;
  private rate = 8000;
  private readonly skipMs: number;

  constructor(
    readonly id: string,
    private readonly playlist: PlaylistEntry[],
    private readonly options: { offsetMs?: number; skipMs?: number },
    private readonly emit: (event: MediaEngineEvent) => void,
  ) {
    this.skipMs = options.skipMs && options.skipMs > 0 ? options.skipMs : 3000;
  }

  /** Reads every file of the playlist at `rate`; on failure the playback ends 'failed'. */
  async load(files: AudioFiles, rate: number): Promise<void> {
    if (this.phase !== 'queued') return;
    this.phase = 'loading';
    this.rate = rate;
    try {
      const entries: Segment[][] = [];
      for (const entry of this.playlist) {
        const segments: Segment[] = [];
        for (const item of entry.items) {
          if (item.kind === 'file')
            segments.push({ kind: 'pcm', samples: await files.load(item.path, rate) });
          else if (item.kind === 'silence')
            segments.push({ kind: 'silence', length: Math.round((item.durationMs * rate) / 1000) });
          else
            segments.push({
              kind: 'tone',
              tone: item.tone,
              durationMs: item.durationMs,
              generator: new ToneGenerator(parseTone(item.tone), rate, item.durationMs ?? null),
            });
        }
        entries.push(segments);
      }
      if (this.phase !== 'loading') return; // stopped while loading
      this.entries = entries;
      this.phase = 'ready';
      if (this.options.offsetMs) this.seek(Math.round((this.options.offsetMs * rate) / 1000));
    } catch {
      if (this.phase !== 'loading') return;
      this.finish('failed');
    }
  }

  /** Writes the next frame; returns false when the playback has nothing (more) to play. */
  fill(out: Int16Array): boolean {
    if (this.phase === 'paused') {
      out.fill(0);
      return true;
    }
    if (this.phase === 'ready') {
      this.phase = 'playing';
      this.emit({ type: 'playback', playback: this.id, state: 'playing', index: this.entry });
    }
    if (this.phase !== 'playing') return false;
    let written = 0;
    while (written < out.length) {
      const segments = this.entries[this.entry];
      if (!segments) break;
      const seg = segments[this.segment];
      if (!seg) {
        if (!this.nextEntry()) break;
        continue;
      }
      written += this.fromSegment(seg, out, written);
    }
    if (written < out.length) out.fill(0, written);
    if (written === 0) {
      this.finish('done');
      return false;
    }
    return true;
  }

  private fromSegment(seg: Segment, out: Int16Array, at: number): number {
    const want = out.length - at;
    if (seg.kind === 'tone') {
      if (seg.generator.finished) return this.advanceSegment();
      const view = out.subarray(at);
      seg.generator.fill(view);
      return want;
    }
    const length = seg.kind === 'pcm' ? seg.samples.length : seg.length;
    const n = Math.min(want, length - this.offset);
    if (n <= 0) return this.advanceSegment();
    if (seg.kind === 'pcm') out.set(seg.samples.subarray(this.offset, this.offset + n), at);
    else out.fill(0, at, at + n);
    this.offset += n;
    return n;
  }

  private advanceSegment(): number {
    this.segment++;
    this.offset = 0;
    return 0;
  }

  private nextEntry(): boolean {
    if (this.entry + 1 >= this.entries.length) return false;
    this.entry++;
    this.segment = 0;
    this.offset = 0;
    this.emit({ type: 'playback', playback: this.id, state: 'continuing', index: this.entry });
    return true;
  }

  /** Moves to `position` samples into the current entry (clamped to its start; past its end ends it). */
  private seek(position: number): void {
    const segments = this.entries[this.entry] ?? [];
    let remaining = Math.max(0, position);
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const length = seg.kind === 'pcm' ? seg.samples.length : seg.kind === 'silence' ? seg.length : Infinity;
      if (remaining < length) {
        this.segment = i;
        this.offset = seg.kind === 'tone' ? 0 : remaining;
        return;
      }
      remaining -= length;
    }
    this.segment = segments.length;
    this.offset = 0;
  }

  private positionInEntry(): number {
    const segments = this.entries[this.entry] ?? [];
    let position = 0;
    for (let i = 0; i < this.segment && i < segments.length; i++) {
      const seg = segments[i]!;
      position += seg.kind === 'pcm' ? seg.samples.length : seg.kind === 'silence' ? seg.length : 0;
    }
    return position + this.offset;
  }

  control(operation: 'pause' | 'unpause' | 'restart' | 'reverse' | 'forward'): void {
    if (this.phase === 'finished') return;
    const skip = Math.round((this.skipMs * this.rate) / 1000);
    switch (operation) {
      case 'pause':
        if (this.phase === 'playing') this.phase = 'paused';
        return;
      case 'unpause':
        if (this.phase === 'paused') this.phase = 'playing';
        return;
      case 'restart':
        this.seek(0);
        for (const seg of this.entries[this.entry] ?? [])
          if (seg.kind === 'tone')
            seg.generator = new ToneGenerator(parseTone(seg.tone), this.rate, seg.durationMs ?? null);
        return;
      case 'reverse':
        this.seek(this.positionInEntry() - skip);
        return;
      case 'forward':
        this.seek(this.positionInEntry() + skip);
        return;
    }
  }

  /** Ends it now; `state` is what PlaybackFinished will say. Emits once. */
  finish(state: 'done' | 'failed' | 'cancelled'): void {
    if (this.phase === 'finished') return;
    this.phase = 'finished';
    this.emit({ type: 'playback', playback: this.id, state, index: this.entry });
  }

  get finished(): boolean {
    return this.phase === 'finished';
  }

  get audible(): boolean {
    return this.phase === 'ready' || this.phase === 'playing' || this.phase === 'paused';
  }
}
