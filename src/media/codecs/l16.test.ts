import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeL16, encodeL16 } from './l16.js';
import { readWav, wavToPcm16Mono } from './wav.js';

const HELLO = '/usr/share/asterisk/sounds/en/hello-world.wav';

describe('L16', () => {
  it('writes big-endian samples, the same bytes as sox writes for raw big-endian PCM', () => {
    const speech = wavToPcm16Mono(readWav(readFileSync(HELLO)));
    const ours = new Uint8Array(speech.length * 2);
    expect(encodeL16(speech, ours)).toBe(speech.length * 2);
    const theirs = execFileSync('sox', [HELLO, '-t', 's16', '-B', '-']);
    expect(Buffer.from(ours).equals(theirs)).toBe(true);
  });

  it('reads them back to the same samples, from an offset', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 258]);
    const bytes = new Uint8Array(4 + samples.length * 2);
    encodeL16(samples, bytes, 4);
    const back = new Int16Array(samples.length);
    expect(decodeL16(bytes, back, 0, 4)).toBe(samples.length);
    expect([...back]).toEqual([...samples]);
  });
});
