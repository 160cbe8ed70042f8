// A channel's command queue. Asterisk runs most ARI operations on a channel one after another
// in the channel's own thread: a playback holds the queue until it ends, so an answer or an
// addChannel sent meanwhile waits for it (the traces show an answer returning only when the
// prompt played before it finished). This queue gives the same order here.

export class QueueClosedError extends Error {
  readonly code = 'QUEUE_CLOSED';
  constructor() {
    super('The channel hung up before this command ran');
    this.name = 'QueueClosedError';
  }
}

export class ControlQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private pending = 0;

  /** Commands queued or running. */
  get size(): number {
    return this.pending;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Runs `command` after every command queued before it. Rejects with QueueClosedError, without
   * running it, when the queue was closed (the channel hung up) before its turn.
   */
  run<T>(command: () => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(new QueueClosedError());
    this.pending += 1;
    const result = this.tail.then(() => {
      if (this.closed) throw new QueueClosedError();
      return command();
    });
    const settle = () => {
      this.pending -= 1;
    };
    this.tail = result.then(settle, settle);
    return result;
  }

  /** Commands not yet started will not run. */
  close(): void {
    this.closed = true;
  }
}
