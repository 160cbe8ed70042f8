// The caller's key presses for the whole call, in one buffer: a digit pressed while a prompt
// plays (barge-in) or between two steps is not lost, the next menu or gather reads it first
// (type-ahead, as callers expect from any IVR).
import type { Scope } from './scope.js';

export interface Digit {
  digit: string;
  /** When it arrived (Date.now()), for the step latency figures. */
  at: number;
}

export class DigitBuffer {
  private readonly queue: Digit[] = [];
  private readonly listeners = new Set<(d: Digit) => void>();

  push(digit: string): void {
    const d = { digit, at: Date.now() };
    this.queue.push(d);
    for (const listener of [...this.listeners]) listener(d);
  }

  get pending(): number {
    return this.queue.length;
  }

  take(): Digit | undefined {
    return this.queue.shift();
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Called for each digit as it arrives (it stays in the buffer). Removed when `scope` closes. */
  watch(scope: Scope, listener: (d: Digit) => void): () => void {
    this.listeners.add(listener);
    const off = () => {
      this.listeners.delete(listener);
      unregister();
    };
    const unregister = scope.onClose(() => this.listeners.delete(listener));
    return off;
  }

  /**
   * The next digit (buffered ones first), or null when none comes within `timeoutMs`.
   * Rejects with IVR_VERB_KILLED when `scope` closes while waiting.
   */
  next(scope: Scope, timeoutMs: number): Promise<Digit | null> {
    const ready = this.take();
    if (ready) return Promise.resolve(ready);
    return scope.wait(
      new Promise<Digit | null>((resolve) => {
        const cancelTimer = scope.after(timeoutMs, () => {
          off();
          resolve(null);
        });
        const off = this.watch(scope, () => {
          off();
          cancelTimer();
          resolve(this.take() ?? null);
        });
      }),
    );
  }

  /** Listeners still registered: for leak checks in tests. */
  get listening(): number {
    return this.listeners.size;
  }
}
