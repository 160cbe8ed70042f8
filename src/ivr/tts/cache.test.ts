import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLanguages } from '../languages.js';
import { TtsCache } from './cache.js';
import type { TtsProvider } from './contract.js';
import { EspeakTts } from './espeak.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-tts-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The fmt chunk of a WAV file. */
function wavFormat(file: string) {
  const b = readFileSync(file);
  return {
    riff: b.subarray(0, 4).toString('ascii'),
    channels: b.readUInt16LE(22),
    sampleRate: b.readUInt32LE(24),
    bits: b.readUInt16LE(34),
    bytes: b.length,
  };
}

describe('espeak-ng TTS with the cache', () => {
  it('speaks English into an 8 kHz mono 16-bit WAV named by content hash, played as sound:', async () => {
    const dir = tempDir();
    const cache = new TtsCache({ dir, provider: new EspeakTts(), languages: defaultLanguages });
    const media = await cache.media('Welcome to the hotline', 'en');
    const key = cache.keyOf('Welcome to the hotline', 'en');
    expect(media).toBe(`sound:${path.join(dir, key)}`);
    const format = wavFormat(cache.fileOf(key));
    expect(format).toMatchObject({ riff: 'RIFF', channels: 1, sampleRate: 8000, bits: 16 });
    // a second of speech at 8 kHz, 16 bit is 16 kB; a short sentence is well over half a second
    expect(format.bytes).toBeGreaterThan(8000);
  });

  it('speaks Chinese through pinyin with the cmn-latn-pinyin voice', async () => {
    const tts = new EspeakTts();
    expect(tts.spoken('中文服务请按1', defaultLanguages.zh!)).toBe('zhong1 wen2 fu2 wu4 qing3 an4 yi1');
    expect(tts.spoken('Press 1', defaultLanguages.en!)).toBe('Press 1');
    const cache = new TtsCache({ dir: tempDir(), provider: tts, languages: defaultLanguages });
    await cache.media('中文服务请按1', 'zh');
    const file = cache.fileOf(cache.keyOf('中文服务请按1', 'zh'));
    expect(wavFormat(file)).toMatchObject({ sampleRate: 8000, channels: 1 });
    expect(wavFormat(file).bytes).toBeGreaterThan(8000);
  });

  it('synthesises once: later and concurrent asks for the same text reuse the file', async () => {
    let made = 0;
    const espeak = new EspeakTts();
    const counting: TtsProvider = {
      name: espeak.name,
      voiceOf: (l) => espeak.voiceOf(l),
      synthesize: (text, language, file) => {
        made++;
        return espeak.synthesize(text, language, file);
      },
    };
    const dir = tempDir();
    const cache = new TtsCache({ dir, provider: counting, languages: defaultLanguages });
    const all = await Promise.all([1, 2, 3].map(() => cache.media('Please hold', 'en')));
    expect(new Set(all).size).toBe(1);
    await cache.media('Please hold', 'en');
    expect(made).toBe(1);
    // a new process finds the file on disk
    const again = new TtsCache({ dir, provider: counting, languages: defaultLanguages });
    await again.media('Please hold', 'en');
    expect(made).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp.wav'))).toEqual([]);
  });

  it('keys the cache by language and voice, and can name files under a sound prefix', async () => {
    const cache = new TtsCache({
      dir: tempDir(),
      provider: new EspeakTts(),
      languages: defaultLanguages,
      soundPrefix: 'hotline-tts/',
    });
    expect(cache.keyOf('1', 'en')).not.toBe(cache.keyOf('1', 'zh'));
    expect(await cache.media('One', 'en')).toBe(`sound:hotline-tts/${cache.keyOf('One', 'en')}`);
  });

  it('fails with IVR_TTS_FAILED when espeak-ng is missing, leaving no file behind', async () => {
    const dir = tempDir();
    const cache = new TtsCache({
      dir,
      provider: new EspeakTts({ espeak: '/nonexistent/espeak-ng' }),
      languages: defaultLanguages,
    });
    await expect(cache.media('Hello', 'en')).rejects.toMatchObject({ code: 'IVR_TTS_FAILED' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
