// Figures about the IVR in this process: calls, how flows ended, flow reloads, and the step
// latency (the caller's deciding key → the next prompt's first audio) as a bounded sample.

import { monitorEventLoopDelay } from 'node:perf_hooks';

const SAMPLE = 20_000;

export class IvrMetrics {
  /** How late this process's event loop ran (everything in it: media core, IVR, API, ...). */
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.loop.enable();
  }

  /** Event-loop delay so far, ms: p50, p99, max. */
  eventLoop(): { p50: number; p99: number; max: number } {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return { p50: ms(this.loop.percentile(50)), p99: ms(this.loop.percentile(99)), max: ms(this.loop.max) };
  }

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
