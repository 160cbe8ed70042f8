// What one running verb holds (timers, listeners, playbacks, recordings), released together when
// the verb finishes or is killed: the one place that guarantees a caller hanging up mid-prompt
// leaves no timer, listener or playback behind.
import { IvrError } from '../errors.js';

type Cleanup = () => unknown;

/**
 * The abort reason of a closed scope: one shared value, because abort() without a reason builds
 * a DOMException with a stack trace, and every step of every call closes a scope.
 */
const CLOSED = Object.freeze({ closed: true });

export class Scope {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly cleanups = new Set<Cleanup>();
  private readonly controller = new AbortController();

  /** Aborted when the scope closes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Runs `fn` after `ms` unless the scope closes first. Returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    if (this.closed) return () => undefined;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Resolves after `ms`; rejects with IVR_VERB_KILLED if the scope closes first. */
  sleep(ms: number): Promise<void> {
    return this.wait(new Promise<void>((resolve) => this.after(ms, resolve)));
  }

  /** Registers something to release on close (stop a playback, remove a listener). */
  onClose(cleanup: Cleanup): () => void {
    if (this.closed) {
      runCleanup(cleanup);
      return () => undefined;
    }
    this.cleanups.add(cleanup);
    return () => this.cleanups.delete(cleanup);
  }

  /** Waits for `promise`, or rejects with IVR_VERB_KILLED as soon as the scope closes. */
  wait<T>(promise: Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(killed());
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(killed());
      this.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  /** A scope of its own (one attempt of a menu), closed with this one or on its own. */
  child(): Scope {
    const child = new Scope();
    const unregister = this.onClose(() => child.close());
    child.onClose(unregister);
    return child;
  }

  /** Releases everything now. Idempotent. */
  close(): void {
    if (this.closed) return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.controller.abort(CLOSED);
    const cleanups = [...this.cleanups];
    this.cleanups.clear();
    for (const cleanup of cleanups) runCleanup(cleanup);
  }

  /** Timers and cleanups still held (0 and 0 once closed): for leak checks in tests. */
  get held(): { timers: number; cleanups: number } {
    return { timers: this.timers.size, cleanups: this.cleanups.size };
  }
}

function killed(): IvrError {
  return new IvrError('IVR_VERB_KILLED', 'the step was stopped before it finished');
}

function runCleanup(cleanup: Cleanup): void {
  try {
    const result = cleanup();
    // Cleanups talk to ARI; a channel that is already gone answers 404, which is fine here.
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // same: releasing a resource that is already gone is not an error
  }
}
