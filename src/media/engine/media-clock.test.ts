import { describe, expect, it } from 'vitest';
import { MediaClock } from './media-clock.js';
import { FakeClock } from './testing/fake-clock.js';

describe('the media clock', () => {
  it('ticks every 20 ms against absolute time, so late timers do not drift', () => {
    const clock = new FakeClock();
    const ticks: number[] = [];
    const media = new MediaClock((tick) => ticks.push(tick), clock);
    clock.lateness = 7; // every timer fires 7 ms late
    media.start();
    clock.advance(10_000);
    // 10 s is 500 frames whatever the lateness of each timer.
    expect(ticks.length).toBeGreaterThanOrEqual(499);
    expect(ticks.length).toBeLessThanOrEqual(500);
    expect(ticks).toEqual(ticks.map((_, i) => i + 1));
    media.stop();
    expect(clock.pending).toBe(0);
  });

  it('catches up a short delay tick by tick, and skips ahead after a long stall', () => {
    const clock = new FakeClock();
    let ticks = 0;
    const media = new MediaClock(() => ticks++, clock);
    media.start();
    clock.advance(100);
    expect(ticks).toBe(5);
    clock.lateness = 50; // the next timer fires 50 ms late: 2-3 frames behind, all run
    clock.advance(80);
    clock.lateness = 0;
    clock.advance(1);
    expect(ticks).toBe(media.tick);
    expect(media.skipped).toBe(0);
    clock.lateness = 1000; // a one-second stall: no burst of 50 frames
    const before = ticks;
    clock.advance(1100);
    expect(media.skipped).toBeGreaterThan(40);
    expect(ticks - before).toBeLessThan(10);
    // Tick numbers stay consecutive: sources continue where they were.
    expect(media.tick).toBe(ticks);
    media.stop();
  });
});
