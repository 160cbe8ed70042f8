import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Downsampler2, resample, Upsampler2 } from './resample.js';
import { correlationAt, goertzelPower, rms, sine } from './testing.js';
import { readWav, wavToPcm16Mono } from './wav.js';

const HELLO = '/usr/share/asterisk/sounds/en/hello-world.wav';
const dir = mkdtempSync(path.join(tmpdir(), 'hotline-resample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function soxRate(input: string, rate: number): Int16Array {
  const out = path.join(dir, `out-${rate}.wav`);
  execFileSync('sox', ['-D', input, '-r', String(rate), out]);
  return wavToPcm16Mono(readWav(readFileSync(out)));
}

describe('resampling', () => {
  const speech = wavToPcm16Mono(readWav(readFileSync(HELLO)));

  it('upsamples real speech from 8 to 16 kHz like sox does', () => {
    const ours = resample(speech, 8000, 16000);
    const theirs = soxRate(HELLO, 16000);
    expect(ours.length).toBe(theirs.length);
    expect(correlationAt(ours, theirs, 0)).toBeGreaterThan(0.99);
  });

  it('downsamples 44.1 kHz stereo music to 8 kHz like sox does', () => {
    const moh = '/usr/share/asterisk/moh/macroform-cold_day.wav';
    const clip = path.join(dir, 'clip.wav');
    execFileSync('sox', ['-D', moh, '-r', '44100', '-c', '2', clip, 'trim', '0', '3']);
    const source = wavToPcm16Mono(readWav(readFileSync(clip)));
    const ours = resample(source, 44100, 8000);
    const soxMono = path.join(dir, 'clip-mono.wav');
    execFileSync('sox', ['-D', clip, '-c', '1', soxMono]);
    const theirs = soxRate(soxMono, 8000);
    expect(Math.abs(ours.length - theirs.length)).toBeLessThanOrEqual(1);
    expect(correlationAt(ours, theirs.subarray(0, ours.length), 0)).toBeGreaterThan(0.97);
  });

  it('filters before going down: a 6 kHz tone at 44.1 kHz does not alias into 8 kHz audio', () => {
    const inBand = resample(sine(1000, 44100, 44100), 44100, 8000);
    const outOfBand = resample(sine(6000, 44100, 44100), 44100, 8000);
    expect(rms(inBand, 800, 7200)).toBeGreaterThan(5000);
    expect(rms(outOfBand, 800, 7200)).toBeLessThan(50);
  });

  it('streams 16 → 8 kHz frame by frame, passing speech and stopping what 8 kHz cannot carry', () => {
    const down = new Downsampler2();
    const tone1k = sine(1000, 16000, 16000);
    const tone6k = sine(6000, 16000, 16000);
    const out1k = new Int16Array(8000);
    const out6k = new Int16Array(8000);
    for (let at = 0; at < 16000; at += 320) down.process(tone1k.subarray(at, at + 320), out1k, 320, at / 2);
    const other = new Downsampler2();
    for (let at = 0; at < 16000; at += 320) other.process(tone6k.subarray(at, at + 320), out6k, 320, at / 2);
    expect(rms(out1k, 400)).toBeGreaterThan(5000);
    expect(rms(out6k, 400)).toBeLessThan(100);
  });

  it('streams 8 → 16 kHz without images above 4 kHz', () => {
    const up = new Upsampler2();
    const tone = sine(1000, 8000, 8000);
    const out = new Int16Array(16000);
    for (let at = 0; at < 8000; at += 160) up.process(tone.subarray(at, at + 160), out, 160, at * 2);
    expect(rms(out, 800)).toBeGreaterThan(5000);
    // The image of 1 kHz at 7 kHz is what zero-stuffing leaves without a filter.
    expect(goertzelPower(out, 16000, 7000, 800)).toBeLessThan(1e-4 * goertzelPower(out, 16000, 1000, 800));
  });
});
