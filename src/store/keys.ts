// Every Redis key Hotline uses is built here, under one prefix, so that several hotlines (or
// test runs) can share a Redis and a reader can find every key's shape in one file.
// Modules add their builders below as they need them; nothing builds a key inline.

export class RedisKeys {
  constructor(readonly prefix: string) {}

  private k(...parts: (string | number)[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** BullMQ's own prefix for this hotline's job queues. */
  get bullPrefix(): string {
    return this.k('bull');
  }

  /** Live state of one call (hash), shared by all controller nodes. */
  call(callId: string): string {
    return this.k('call', callId);
  }

  /** Stream of live events for consoles (call, queue, agent, transcript, QA alerts). */
  eventsStream(): string {
    return this.k('events');
  }

  /** Used by `hotline doctor` to prove it can write and read. */
  doctorProbe(): string {
    return this.k('doctor', 'probe');
  }
}
