// RFC 4733 DTMF out, paced by the media clock: for each digit, an event packet every 20 ms with
// the same timestamp and a growing duration (the first with the marker bit), then the end packet
// three times; pauses before, between and after; ',' is half a second of pause. While it runs,
// the endpoint sends no audio (as Asterisk does).
import { dtmfEventOf, serializeTelephoneEvent } from '../rtp/index.js';
import { MediaEngineError } from './errors.js';
import { FRAME_MS } from './media-clock.js';

export interface DtmfTiming {
  durationMs?: number;
  betweenMs?: number;
  beforeMs?: number;
  afterMs?: number;
}

type Step = { kind: 'pause'; ticks: number } | { kind: 'digit'; event: number; ticks: number };

export interface DtmfPacket {
  payload: Buffer;
  marker: boolean;
  /** True on the first packet of a digit: it takes a new RTP timestamp. */
  newEvent: boolean;
  /** Duration field so far, in RTP clock units. */
  duration: number;
}

const END_COPIES = 3;
const VOLUME = 10;

export function parseDigits(digits: string, timing: DtmfTiming): Step[] {
  const ticks = (ms: number): number => Math.max(0, Math.round(ms / FRAME_MS));
  const steps: Step[] = [];
  if (timing.beforeMs) steps.push({ kind: 'pause', ticks: ticks(timing.beforeMs) });
  const between = ticks(timing.betweenMs ?? 100);
  const duration = Math.max(2, ticks(timing.durationMs ?? 100));
  [...digits].forEach((ch, i) => {
    if (ch === ',') steps.push({ kind: 'pause', ticks: ticks(500) });
    else {
      const event = dtmfEventOf(ch);
      if (event < 0)
        throw new MediaEngineError(
          'BAD_DTMF',
          `'${ch}' is not a DTMF digit: use 0-9, *, #, A-D and ',' for a pause`,
        );
      steps.push({ kind: 'digit', event, ticks: duration });
    }
    if (i < digits.length - 1 && between > 0) steps.push({ kind: 'pause', ticks: between });
  });
  if (timing.afterMs) steps.push({ kind: 'pause', ticks: ticks(timing.afterMs) });
  return steps;
}

export class DtmfSender {
  private step = 0;
  private tickInStep = 0;
  private endsSent = 0;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly steps: Step[],
    private readonly clockRate: number,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    if (steps.length === 0) this.resolveDone();
  }

  get finished(): boolean {
    return this.step >= this.steps.length;
  }

  /** Cancels: the promise still resolves (the endpoint went away; nothing more to send). */
  cancel(): void {
    this.step = this.steps.length;
    this.resolveDone();
  }

  /** Advances one tick: the packet to send now, or null (a pause). */
  next(): DtmfPacket | null {
    const step = this.steps[this.step];
    if (!step) return null;
    const samplesPerTick = (this.clockRate * FRAME_MS) / 1000;
    let packet: DtmfPacket | null = null;
    if (step.kind === 'digit') {
      const first = this.tickInStep === 0;
      const ending = this.tickInStep >= step.ticks - 1;
      const duration = Math.min(0xffff, (this.tickInStep + 1) * samplesPerTick);
      packet = {
        payload: serializeTelephoneEvent({ event: step.event, end: ending, volume: VOLUME, duration }),
        marker: first,
        newEvent: first,
        duration,
      };
      if (ending) {
        this.endsSent++;
        if (this.endsSent < END_COPIES) return packet;
        this.endsSent = 0;
      }
    }
    this.tickInStep++;
    if (step.kind === 'pause' ? this.tickInStep >= step.ticks : this.tickInStep >= step.ticks) {
      this.step++;
      this.tickInStep = 0;
      if (this.finished) this.resolveDone();
    }
    return packet;
  }
}
