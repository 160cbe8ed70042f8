import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { G722Decoder, G722Encoder } from './g722.js';
import { Downsampler2 } from './resample.js';
import { bestCorrelation, goertzelPower, sine, snrDb, windowedCorrelation } from './testing.js';
import { readWav, wavToPcm16Mono } from './wav.js';

const SOUNDS = '/usr/share/asterisk/sounds/en';
const PROMPTS = ['hello-world', 'vm-goodbye', 'conf-onlyperson', 'tt-monkeys'];

function decodeFile(name: string): Int16Array {
  const bytes = readFileSync(`${SOUNDS}/${name}.g722`);
  const pcm = new Int16Array(bytes.length * 2);
  new G722Decoder().decode(bytes, pcm);
  return pcm;
}

function narrowband(name: string): Int16Array {
  return wavToPcm16Mono(readWav(readFileSync(`${SOUNDS}/${name}.wav`)));
}

function downsample(pcm16k: Int16Array): Int16Array {
  const out = new Int16Array(pcm16k.length / 2);
  new Downsampler2().process(pcm16k, out);
  return out;
}

describe('G.722', () => {
  it.each(PROMPTS)(
    "decodes Asterisk's %s.g722 to the same speech as the 8 kHz recording of that prompt",
    (name) => {
      const wide = decodeFile(name);
      const reference = narrowband(name);
      const decoded8k = downsample(wide);
      expect(decoded8k.length).toBe(reference.length);
      // Polarity differs between some of the packaged files, so compare |correlation|.
      const whole = bestCorrelation(reference, decoded8k, 40);
      expect(whole.correlation).toBeGreaterThan(0.75);
      expect(windowedCorrelation(reference, decoded8k, whole.lag)).toBeGreaterThan(0.85);
    },
  );

  it('does not match a different prompt (the comparison can fail)', () => {
    const decoded8k = downsample(decodeFile('vm-goodbye'));
    const other = narrowband('conf-onlyperson');
    expect(bestCorrelation(other.subarray(0, decoded8k.length), decoded8k, 40).correlation).toBeLessThan(0.3);
  });

  it('encodes and decodes real 16 kHz speech with a high SNR', () => {
    const speech = decodeFile('conf-onlyperson');
    const coded = new Uint8Array(speech.length / 2);
    expect(new G722Encoder().encode(speech, coded)).toBe(speech.length / 2);
    const decoded = new Int16Array(speech.length);
    expect(new G722Decoder().decode(coded, decoded)).toBe(speech.length);
    // The QMF pair delays the signal by 22 samples.
    let best = -Infinity;
    for (let lag = 0; lag < 40; lag++) best = Math.max(best, snrDb(speech, decoded, lag));
    expect(best).toBeGreaterThan(25);
  });

  it('keeps the upper band: a 6 kHz tone survives encoding, which narrowband codecs cannot carry', () => {
    const tone = sine(6000, 16000, 3200);
    const coded = new Uint8Array(1600);
    new G722Encoder().encode(tone, coded);
    const decoded = new Int16Array(3200);
    new G722Decoder().decode(coded, decoded);
    const at6k = goertzelPower(decoded, 16000, 6000, 800);
    const at1k = goertzelPower(decoded, 16000, 1000, 800);
    expect(at6k).toBeGreaterThan(100 * at1k);
    expect(at6k).toBeGreaterThan(0.25 * goertzelPower(tone, 16000, 6000, 800));
  });

  it('carries state across 20 ms frames: frame by frame equals all at once', () => {
    const speech = decodeFile('hello-world').subarray(0, 320 * 20);
    const whole = new Uint8Array(speech.length / 2);
    new G722Encoder().encode(speech, whole);
    const framed = new Uint8Array(speech.length / 2);
    const encoder = new G722Encoder();
    for (let at = 0; at < speech.length; at += 320)
      encoder.encode(speech.subarray(at, at + 320), framed, at / 2);
    expect(Buffer.from(framed).equals(Buffer.from(whole))).toBe(true);
  });
});
