// The call's IVR trail: every step the caller passes becomes a `call_events` row (source 'ivr'),
// and the call row follows along (language, outcome, data). Writes for one call are queued in
// order and never block the caller: the next prompt starts while the previous step's row is
// being written. A crash loses at most the writes in flight.
import type { Logger } from '../../logger.js';
import { updateCall, type CallEventWriter, type CallUpdate, type Db } from '../../store/index.js';

export interface StepRecord {
  flow: string;
  step: string;
  verb: string;
  input?: string;
  result: string;
  next?: string | null;
  /** When the step started (ISO). */
  startedAt: string;
  /** How long the step took. */
  ms: number;
  /** DTMF of the previous step → this step's first prompt audio, when both happened. */
  responseMs?: number;
  /** responseMs split: until the IVR asked for the prompt, and the media server starting it. */
  response?: { ivrMs: number; mediaMs: number };
  data?: Record<string, unknown>;
}

export interface CallTrail {
  event(type: string, data: Record<string, unknown>): void;
  step(record: StepRecord): void;
  update(update: CallUpdate): void;
  /** Resolves when everything queued so far is written. */
  flush(): Promise<void>;
}

export class PgCallTrail implements CallTrail {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    /** Shared by every call: rows of many calls go to Postgres together. */
    private readonly events: CallEventWriter,
    private readonly callId: string,
    private readonly log: Logger,
    /** Also publishes each step for live consoles (Redis stream). */
    private readonly live?: (type: string, payload: Record<string, unknown>) => void,
  ) {}

  private enqueue(what: string, write: () => Promise<void>): void {
    this.chain = this.chain.then(write).catch((err: unknown) => {
      this.log.error({ err, call: this.callId, what }, 'writing the call trail failed');
    });
  }

  event(type: string, data: Record<string, unknown>): void {
    this.enqueue(type, () => this.events.record(this.callId, 'ivr', type, data));
  }

  step(record: StepRecord): void {
    this.event('ivr.step', { ...record });
    this.live?.('ivr.step', {
      callId: this.callId,
      flow: record.flow,
      step: record.step,
      verb: record.verb,
      result: record.result,
      ...(record.input !== undefined ? { input: record.input } : {}),
    });
  }

  update(update: CallUpdate): void {
    this.enqueue('call update', () => updateCall(this.db, this.callId, update));
  }

  flush(): Promise<void> {
    return this.chain;
  }
}
