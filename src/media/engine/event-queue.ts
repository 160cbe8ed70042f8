// The engine's events, delivered after the current step (a microtask later) so that a listener
// may call back into the engine without re-entering a tick or a packet handler half-way.
import type { MediaEngineEvent } from './contract.js';

export class EventQueue {
  private readonly listeners: ((event: MediaEngineEvent) => void)[] = [];
  private readonly pending: MediaEngineEvent[] = [];

  constructor(private readonly log: (message: string) => void) {}

  on(listener: (event: MediaEngineEvent) => void): void {
    this.listeners.push(listener);
  }

  push(event: MediaEngineEvent): void {
    this.pending.push(event);
    if (this.pending.length === 1) queueMicrotask(() => this.flush());
  }

  flush(): void {
    for (const event of this.pending.splice(0)) {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (err) {
          this.log(`media engine listener failed: ${(err as Error).message}`);
        }
      }
    }
  }
}
