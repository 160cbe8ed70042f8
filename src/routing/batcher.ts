// Decisions asked for while a run of the same kind is in flight wait and go together in the next
// run: one FCALL then decides many callers (or agents), sharing its round trip and per-run reads.
// With nothing in flight a decision goes at once (after the current tick, so that decisions asked
// for together, such as the agents one sweep frees, share a run), so a quiet node pays no delay.
// Each decision keeps its own answer; a run that fails fails the decisions it carried.

interface Waiter<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

export class DecisionBatcher<I, R> {
  private waiting: Waiter<I, R>[] = [];
  private running = false;

  constructor(
    /** Runs one batch; answers one result per item, in order. */
    private readonly runBatch: (items: I[]) => Promise<R[]>,
    /** The most decisions in one run (a run holds Redis for all of them). */
    private readonly maxBatch: number,
  ) {}

  decide(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const results = await this.runBatch(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.running = false;
  }
}
