// Puts RTP packets back in sequence order. A packet that arrives ahead of a missing one waits
// until the missing one comes or `window` packets are waiting; then the missing ones are given up
// as lost. Late packets (behind what was already passed on) and duplicates are dropped. No timers:
// what is still waiting when the stream stops comes out of `flush()`. 16-bit sequence numbers wrap.

export interface ReorderStats {
  reordered: number;
  lost: number;
  late: number;
}

/** A jump this large is a restarted sender (new sequence space), not loss. */
const RESTART_GAP = 3000;

export class ReorderBuffer<T> {
  private expected: number | null = null;
  private readonly waiting = new Map<number, T>();
  readonly stats: ReorderStats = { reordered: 0, lost: 0, late: 0 };

  constructor(private readonly window = 4) {}

  /** Takes one packet; returns the packets now in order (possibly none, possibly several). */
  push(seq: number, item: T): T[] {
    const out: T[] = [];
    if (this.expected === null) this.expected = seq;
    const ahead = (seq - this.expected) & 0xffff;
    const behind = 0x10000 - ahead;
    if (ahead >= 0x8000 && behind <= RESTART_GAP) {
      this.stats.late++;
      return out;
    }
    if (ahead > RESTART_GAP && behind > RESTART_GAP) {
      out.push(...this.flush());
      this.expected = seq;
    }
    if (seq === this.expected) {
      out.push(item);
      this.expected = (seq + 1) & 0xffff;
      this.drain(out);
      return out;
    }
    if (this.waiting.has(seq)) {
      this.stats.late++;
      return out;
    }
    this.waiting.set(seq, item);
    this.stats.reordered++;
    if (this.waiting.size > this.window) this.skipToWaiting(out);
    return out;
  }

  /** Everything still waiting, in order (the gaps before them counted as lost). */
  flush(): T[] {
    const out: T[] = [];
    while (this.waiting.size) this.skipToWaiting(out);
    return out;
  }

  private drain(out: T[]): void {
    for (;;) {
      const next = this.waiting.get(this.expected!);
      if (next === undefined) return;
      this.waiting.delete(this.expected!);
      this.stats.reordered--;
      out.push(next);
      this.expected = (this.expected! + 1) & 0xffff;
    }
  }

  /** Gives up on the missing packets before the nearest waiting one. */
  private skipToWaiting(out: T[]): void {
    let nearest = -1;
    let nearestGap = Infinity;
    for (const seq of this.waiting.keys()) {
      const gap = (seq - this.expected!) & 0xffff;
      if (gap < nearestGap) {
        nearestGap = gap;
        nearest = seq;
      }
    }
    if (nearest < 0) return;
    this.stats.lost += nearestGap;
    this.expected = nearest;
    this.drain(out);
  }
}
