// Capacity control for the offline recogniser: at most `limit` utterances are being decoded at
// once across all calls. pocketsphinx costs a fixed share of a core per second of speech
// (docs/BENCHMARKS.md), so when more people speak at once than the machine can decode, every
// recogniser falls behind real time together and every call's transcript comes late. Bounding the
// utterances in flight keeps the admitted ones live: an utterance that finds no free slot waits
// (its audio buffered) for up to `maxWaitMs`, is then decoded from its buffer at full speed, and
// is skipped — reported, not silently — when no slot frees in time.
//
// Hand-written: a counting semaphore whose waiters can hold their place while their audio is
// dropped is a few lines, and no library gives the "give up after a wait, keep the place" shape.
import type { GateOutput } from '../speech-gate.js';

/** Decoding slots shared by every dictation stream of one provider. */
export class DecodeSlots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  /** `limit` 0: no limit. */
  constructor(readonly limit: number) {}

  tryAcquire(): boolean {
    if (this.limit > 0 && this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  /** Queues `grant` for the next slot freed; returns a function that leaves the queue. */
  wait(grant: () => void): () => void {
    this.waiting.push(grant);
    return () => {
      const i = this.waiting.indexOf(grant);
      if (i >= 0) this.waiting.splice(i, 1);
    };
  }

  /** A slot is freed: it passes straight to the longest waiter, if any. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used = Math.max(0, this.used - 1);
  }

  get inUse(): number {
    return this.used;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

export interface SkippedSpeech {
  /** Speech not transcribed because no slot freed within `maxWaitMs`. */
  skippedMs: number;
  /** Slots in use and utterances waiting when it was skipped. */
  inUse: number;
  limit: number;
  queued: number;
}

export interface AdmissionOptions {
  slots: DecodeSlots;
  sampleRate: number;
  /** How long an utterance may wait for a slot before its audio is skipped. */
  maxWaitMs: number;
  /** After an utterance is closed, how long its result may take before the slot is freed anyway. */
  resultTimeoutMs?: number;
  /** Pieces admitted, in order: to the recogniser. */
  deliver(piece: GateOutput): void;
  skipped(detail: SkippedSpeech): void;
  /**
   * A slot was taken for an utterance, before its first piece is delivered: nothing of this
   * stream is being decoded now (the recogniser may be chosen afresh).
   */
  acquired?(): void;
}

/**
 * One stream's side: the speech gate's pieces in, admitted pieces out. A stream holds a slot from
 * the start of an utterance until the recogniser has given the result of every utterance it was
 * sent (so the slot covers the decoding that follows the speaker's pause too).
 */
export class UtteranceAdmission {
  private holding = false;
  private speaking = false;
  private skipping = false;
  private unresolved = 0;
  private leaveQueue: (() => void) | null = null;
  private buffered: GateOutput[] = [];
  private waitTimer: NodeJS.Timeout | null = null;
  private resultTimer: NodeJS.Timeout | null = null;
  private skippedSamples = 0;
  private closed = false;

  constructor(private readonly options: AdmissionOptions) {}

  push(piece: GateOutput): void {
    if (this.closed) return;
    if (piece.kind === 'speech') {
      if (!this.speaking) this.utteranceStarts();
      this.speaking = true;
      if (this.skipping) this.skippedSamples += piece.pcm.length;
      else if (this.holding) this.options.deliver(piece);
      else this.buffer(piece);
      return;
    }
    this.speaking = false;
    if (this.skipping) {
      this.skipping = false;
      this.reportSkipped();
    } else if (this.holding) {
      this.options.deliver(piece);
      this.sent();
    } else if (this.buffered.length) {
      this.buffer(piece);
    }
  }

  /** The recogniser gave the result of one utterance it was sent. */
  resolved(): void {
    this.unresolved = Math.max(0, this.unresolved - 1);
    if (!this.unresolved && this.resultTimer) clearTimeout(this.resultTimer);
    this.maybeRelease();
  }

  /** The stream ends: what still waits for a slot is skipped, a held slot is freed. */
  close(): void {
    if (this.closed) return;
    if (this.skipping || this.buffered.length) {
      for (const p of this.buffered) if (p.kind === 'speech') this.skippedSamples += p.pcm.length;
      this.buffered = [];
      this.reportSkipped();
    }
    this.closed = true;
    this.stopWaiting();
    if (this.resultTimer) clearTimeout(this.resultTimer);
    if (this.holding) {
      this.holding = false;
      this.options.slots.release();
    }
  }

  private utteranceStarts(): void {
    if (this.holding || this.leaveQueue) return;
    if (this.options.slots.tryAcquire()) {
      this.holding = true;
      this.options.acquired?.();
    } else this.leaveQueue = this.options.slots.wait(() => this.granted());
  }

  private buffer(piece: GateOutput): void {
    if (!this.buffered.length) {
      this.waitTimer = setTimeout(() => this.giveUp(), this.options.maxWaitMs);
      this.waitTimer.unref();
    }
    this.buffered.push(piece);
  }

  /** Waited too long: what is buffered (and the rest of this utterance) is not transcribed. */
  private giveUp(): void {
    this.waitTimer = null;
    for (const p of this.buffered) if (p.kind === 'speech') this.skippedSamples += p.pcm.length;
    this.buffered = [];
    if (this.speaking) this.skipping = true;
    else this.reportSkipped();
  }

  private granted(): void {
    this.leaveQueue = null;
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = null;
    this.holding = true;
    this.options.acquired?.();
    const pieces = this.buffered;
    this.buffered = [];
    for (const p of pieces) {
      this.options.deliver(p);
      if (p.kind === 'pause') this.sent();
    }
    // Granted in the middle of a skipped utterance: its rest is skipped, the next one is admitted.
    this.maybeRelease();
  }

  private sent(): void {
    this.unresolved++;
    if (this.resultTimer) clearTimeout(this.resultTimer);
    // The recogniser prints nothing for audio its own detector took for silence: do not wait forever.
    this.resultTimer = setTimeout(() => {
      this.unresolved = 0;
      this.maybeRelease();
    }, this.options.resultTimeoutMs ?? 5_000);
    this.resultTimer.unref();
  }

  private maybeRelease(): void {
    if (!this.holding || this.unresolved || (this.speaking && !this.skipping)) return;
    this.holding = false;
    this.options.slots.release();
  }

  private stopWaiting(): void {
    this.leaveQueue?.();
    this.leaveQueue = null;
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = null;
  }

  private reportSkipped(): void {
    if (!this.skippedSamples) return;
    const { slots } = this.options;
    this.options.skipped({
      skippedMs: Math.round((this.skippedSamples * 1000) / this.options.sampleRate),
      inUse: slots.inUse,
      limit: slots.limit,
      queued: slots.queued,
    });
    this.skippedSamples = 0;
  }
}
