// A fake of routing as the IVR sees it (CallRouter, QueuedCall): it records what was enqueued and
// lets a test settle each call's outcome, set its position and its queue's hold settings.
import type {
  CallRouter,
  EnqueueRequest,
  QueueHold,
  QueueOutcome,
  QueuePosition,
  QueuedCall,
} from '../../routing/index.js';
import { deferred } from '../../deferred.js';

export class FakeQueuedCall implements QueuedCall {
  readonly outcome: Promise<QueueOutcome>;
  position_: QueuePosition = { position: 3, estimatedWaitSeconds: 120 };
  hold: QueueHold = {
    mohClass: 'default',
    announceEverySeconds: 30,
    announcePosition: true,
    announceEstimatedWait: true,
  };
  callbackNumber: string | null = null;
  private readonly end = deferred<QueueOutcome>();

  constructor(
    readonly id: string,
    readonly queue: string,
    readonly request: EnqueueRequest,
  ) {
    this.outcome = this.end.promise;
  }

  position(): Promise<QueuePosition> {
    return Promise.resolve(this.position_);
  }

  convertToCallback(number: string): Promise<void> {
    this.callbackNumber = number;
    return Promise.resolve();
  }

  settle(outcome: QueueOutcome): void {
    this.end.resolve(outcome);
  }
}

export class FakeRouter implements CallRouter {
  readonly calls: FakeQueuedCall[] = [];
  /** The queue's hold settings given to the calls enqueued from now on. */
  hold: QueueHold | null = null;

  enqueue(request: EnqueueRequest): Promise<QueuedCall> {
    const call = new FakeQueuedCall(`q-${this.calls.length + 1}`, request.queue, request);
    if (this.hold) call.hold = this.hold;
    this.calls.push(call);
    return Promise.resolve(call);
  }

  get last(): FakeQueuedCall {
    return this.calls[this.calls.length - 1]!;
  }
}
