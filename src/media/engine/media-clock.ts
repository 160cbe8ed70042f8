// The one 20 ms clock of the engine. Every clock-driven source (playback, music on hold, tones,
// mixing of three or more, DTMF sending, recording) runs on its ticks, so a thousand calls cost
// one timer, not a thousand. Ticks are scheduled against absolute time (start + n·20 ms), so
// timer lateness never accumulates into drift; after a stall longer than a few ticks the clock
// skips the missed slots instead of bursting them (tick numbers stay consecutive, so a playback
// or a mix simply continues where it was, with continuous RTP timestamps).

export const FRAME_MS = 20;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class MediaClock {
  private timer: unknown = null;
  private startedAt = 0;
  /** 20 ms slots since start (what the schedule follows). */
  private slots = 0;
  /** Ticks run: consecutive even when slots were skipped, so sources stay continuous. */
  private ticks = 0;
  /** Ticks dropped because the loop fell behind by more than MAX_CATCH_UP frames. */
  skipped = 0;
  private static readonly MAX_CATCH_UP = 3;

  constructor(
    private readonly onTick: (tick: number) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  /** The number of the last tick run. */
  get tick(): number {
    return this.ticks;
  }

  start(): void {
    if (this.timer !== null) return;
    this.startedAt = this.clock.now();
    this.slots = 0;
    this.schedule();
  }

  stop(): void {
    if (this.timer === null) return;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const due = this.startedAt + (this.slots + 1) * FRAME_MS;
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, due - this.clock.now()));
  }

  private run(): void {
    const behind = Math.floor((this.clock.now() - this.startedAt) / FRAME_MS) - this.slots;
    if (behind > MediaClock.MAX_CATCH_UP) {
      this.skipped += behind - 1;
      this.slots += behind - 1;
    }
    const runs = Math.max(1, Math.min(behind, MediaClock.MAX_CATCH_UP));
    for (let i = 0; i < runs && this.timer !== null; i++) {
      this.slots++;
      this.ticks++;
      this.onTick(this.ticks);
    }
    if (this.timer !== null) this.schedule();
  }
}
