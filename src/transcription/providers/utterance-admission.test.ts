import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GateOutput } from '../speech-gate.js';
import { DecodeSlots, UtteranceAdmission, type SkippedSpeech } from './utterance-admission.js';

const RATE = 16000;
const speech = (ms: number, at = 0): GateOutput => ({
  kind: 'speech',
  pcm: new Int16Array((ms * RATE) / 1000),
  at,
});
const pause = (at = 0): GateOutput => ({ kind: 'pause', at });

function stream(slots: DecodeSlots, maxWaitMs = 2000) {
  const delivered: GateOutput[] = [];
  const skipped: SkippedSpeech[] = [];
  const acquired: number[] = [];
  const admission = new UtteranceAdmission({
    slots,
    sampleRate: RATE,
    maxWaitMs,
    resultTimeoutMs: 5000,
    deliver: (p) => delivered.push(p),
    skipped: (d) => skipped.push(d),
    acquired: () => acquired.push(delivered.length),
  });
  return { admission, delivered, skipped, acquired };
}

describe('utterance admission', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes every utterance straight through when there is no limit', () => {
    const a = stream(new DecodeSlots(0));
    const b = stream(new DecodeSlots(0));
    a.admission.push(speech(100));
    b.admission.push(speech(100));
    expect(a.delivered).toHaveLength(1);
    expect(b.delivered).toHaveLength(1);
  });

  it('says when an utterance takes a slot, before its first piece, but not while the last one is still decoding', () => {
    const a = stream(new DecodeSlots(0));
    a.admission.push(speech(100));
    a.admission.push(pause());
    // The next utterance starts before the recogniser has given the last one's result.
    a.admission.push(speech(100));
    a.admission.push(pause());
    a.admission.resolved();
    a.admission.resolved();
    a.admission.push(speech(100));
    expect(a.acquired).toEqual([0, 4]);
  });

  it('holds back an utterance past the limit and delivers it whole once a slot frees', () => {
    const slots = new DecodeSlots(1);
    const a = stream(slots);
    const b = stream(slots);
    a.admission.push(speech(100));
    b.admission.push(speech(100));
    b.admission.push(speech(100));
    expect(b.delivered).toEqual([]);
    expect(slots.queued).toBe(1);

    a.admission.push(pause());
    // The slot covers the decoding after the pause, until the result is out.
    expect(b.delivered).toEqual([]);
    a.admission.resolved();
    expect(b.delivered.map((p) => p.kind)).toEqual(['speech', 'speech']);
    b.admission.push(speech(100));
    expect(b.delivered).toHaveLength(3);
    expect(b.skipped).toEqual([]);
  });

  it('skips an utterance that waits longer than allowed, rest included, and says how much', () => {
    const slots = new DecodeSlots(1);
    const a = stream(slots);
    const b = stream(slots, 2000);
    a.admission.push(speech(100));
    b.admission.push(speech(1000));
    vi.advanceTimersByTime(2000);
    b.admission.push(speech(500));
    b.admission.push(pause());
    expect(b.delivered).toEqual([]);
    expect(b.skipped).toEqual([{ skippedMs: 1500, inUse: 1, limit: 1, queued: 1 }]);

    // Its next utterance gets the slot when it frees.
    a.admission.push(pause());
    a.admission.resolved();
    b.admission.push(speech(200));
    expect(b.delivered.map((p) => p.kind)).toEqual(['speech']);
  });

  it('frees the slot of an utterance whose result never comes', () => {
    const slots = new DecodeSlots(1);
    const a = stream(slots);
    a.admission.push(speech(100));
    a.admission.push(pause());
    expect(slots.inUse).toBe(1);
    vi.advanceTimersByTime(5000);
    expect(slots.inUse).toBe(0);
  });

  it('on close frees its slot and reports what was still waiting as skipped', () => {
    const slots = new DecodeSlots(1);
    const a = stream(slots);
    const b = stream(slots);
    a.admission.push(speech(100));
    b.admission.push(speech(300));
    b.admission.close();
    expect(b.skipped.map((s) => s.skippedMs)).toEqual([300]);
    expect(slots.queued).toBe(0);
    a.admission.close();
    expect(slots.inUse).toBe(0);
  });
});
