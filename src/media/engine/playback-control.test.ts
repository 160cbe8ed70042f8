import { describe, expect, it } from 'vitest';
import type { AudioFiles } from './audio-files.js';
import type { MediaEngineEvent } from './contract.js';
import { Playback } from './playback.js';

/** A fake of our own file loader: every file is a ramp whose sample value is its position / 8. */
const rampFiles = {
  load: (_path: string, rate: number) => Promise.resolve(ramp(rate * 10)),
} as unknown as AudioFiles;

function ramp(length: number): Int16Array {
  return Int16Array.from({ length }, (_, i) => Math.floor(i / 8));
}

/** Position (in samples) of the frame just played, read back from the ramp. */
function position(frame: Int16Array): number {
  return frame[0]! * 8;
}

async function playing(
  options: { offsetMs?: number; skipMs?: number } = {},
): Promise<{ playback: Playback; events: MediaEngineEvent[] }> {
  const events: MediaEngineEvent[] = [];
  const playback = new Playback(
    'p',
    [{ uri: 'sound:ramp', items: [{ kind: 'file', path: 'ramp.wav' }] }],
    options,
    (e) => events.push(e),
  );
  await playback.load(rampFiles, 8000);
  return { playback, events };
}

describe('playback control', () => {
  const frame = new Int16Array(160);

  it('starts at offsetMs', async () => {
    const { playback } = await playing({ offsetMs: 2000 });
    playback.fill(frame);
    expect(position(frame)).toBe(16000);
  });

  it('skips forward and back by 3 s unless skipMs says otherwise, and restarts', async () => {
    const { playback } = await playing();
    for (let i = 0; i < 50; i++) playback.fill(frame); // 1 s in
    playback.control('forward');
    playback.fill(frame);
    expect(position(frame)).toBe(8000 + 24000);
    playback.control('reverse');
    playback.fill(frame);
    expect(position(frame)).toBe(8000 + 160);
    playback.control('reverse'); // clamps at the start
    playback.fill(frame);
    expect(position(frame)).toBe(0);
    for (let i = 0; i < 10; i++) playback.fill(frame);
    playback.control('restart');
    playback.fill(frame);
    expect(position(frame)).toBe(0);

    const custom = await playing({ skipMs: 500 });
    custom.playback.control('forward');
    custom.playback.fill(frame);
    expect(position(frame)).toBe(4000);
  });

  it('pauses with silence and carries on where it was', async () => {
    const { playback } = await playing();
    playback.fill(frame);
    playback.control('pause');
    expect(playback.fill(frame)).toBe(true);
    expect(frame.every((s) => s === 0)).toBe(true);
    playback.control('unpause');
    playback.fill(frame);
    expect(position(frame)).toBe(160);
  });

  it('forward past the end finishes the playback as done', async () => {
    const { playback, events } = await playing();
    playback.fill(frame);
    for (let i = 0; i < 4; i++) playback.control('forward');
    expect(playback.fill(frame)).toBe(false);
    expect(events.map((e) => (e.type === 'playback' ? e.state : ''))).toEqual(['playing', 'done']);
  });
});
