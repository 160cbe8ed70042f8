// Figures about the IVR in this process: calls, how flows ended, flow reloads, and the step
// latency (the caller's deciding key → the next prompt's first audio) as a bounded sample.

const SAMPLE = 20_000;

export class IvrMetrics {
  calls = 0;
  ended = 0;
  reloads = { ok: 0, refused: 0 };
  readonly outcomes: Record<string, number> = {};
  private readonly samples: number[] = [];
  private next = 0;

  callStarted(): void {
    this.calls++;
  }

  flowEnded(end: { outcome: string }): void {
    this.ended++;
    this.outcomes[end.outcome] = (this.outcomes[end.outcome] ?? 0) + 1;
  }

  reloaded(ok: boolean): void {
    if (ok) this.reloads.ok++;
    else this.reloads.refused++;
  }

  responseTime(ms: number): void {
    if (this.samples.length < SAMPLE) this.samples.push(ms);
    else this.samples[this.next++ % SAMPLE] = ms;
  }

  /** p in 0..100 over the sample; null without samples. */
  percentile(p: number): number | null {
    if (!this.samples.length) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  }

  get responseCount(): number {
    return this.samples.length;
  }
}
