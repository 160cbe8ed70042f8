// Audio files to play, as 16-bit PCM at the rate the target needs (8 or 16 kHz): WAV of any rate
// (resampled with a proper low-pass), G.711 WAV, and Asterisk's raw formats by extension
// (.ulaw/.ul, .alaw/.al, .sln 8 kHz, .sln16, .g722). Converted once and kept in a cache bounded
// by size, keyed by path, rate, size and modification time (a re-recorded file is read again).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeAlaw, decodeUlaw, G722Decoder, readWav, resample, wavToPcm16Mono } from '../codecs/index.js';

interface Decoded {
  samples: Int16Array;
  rate: number;
}

function decodeRaw(ext: string, bytes: Buffer): Decoded {
  switch (ext) {
    case '.ulaw':
    case '.ul':
    case '.pcm': {
      const out = new Int16Array(bytes.length);
      decodeUlaw(bytes, out);
      return { samples: out, rate: 8000 };
    }
    case '.alaw':
    case '.al': {
      const out = new Int16Array(bytes.length);
      decodeAlaw(bytes, out);
      return { samples: out, rate: 8000 };
    }
    case '.sln':
    case '.raw':
    case '.sln16': {
      const out = new Int16Array(bytes.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(2 * i);
      return { samples: out, rate: ext === '.sln16' ? 16000 : 8000 };
    }
    case '.g722': {
      const out = new Int16Array(bytes.length * 2);
      new G722Decoder().decode(bytes, out);
      return { samples: out, rate: 16000 };
    }
    default:
      throw new Error(`cannot play '${ext}' files: use .wav, .ulaw, .alaw, .sln, .sln16 or .g722`);
  }
}

export class AudioFiles {
  private readonly cache = new Map<string, Int16Array>();
  private cachedBytes = 0;

  constructor(private readonly maxCacheBytes = 64 * 1024 * 1024) {}

  /** The file's audio at `rate`. Rejects with a message naming the file and what is wrong. */
  async load(file: string, rate: number): Promise<Int16Array> {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new Error(`audio file not found: ${file}`);
    const key = `${file}\0${rate}\0${info.size}\0${info.mtimeMs}`;
    const hit = this.cache.get(key);
    if (hit) {
      // Map order is insertion order: re-insert to mark as recently used.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const bytes = await readFile(file);
    const ext = path.extname(file).toLowerCase();
    let decoded: Decoded;
    try {
      if (ext === '.wav') {
        const wav = readWav(bytes);
        decoded = { samples: wavToPcm16Mono(wav), rate: wav.sampleRate };
      } else decoded = decodeRaw(ext, bytes);
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
    }
    const samples = decoded.rate === rate ? decoded.samples : resample(decoded.samples, decoded.rate, rate);
    this.remember(key, samples);
    return samples;
  }

  private remember(key: string, samples: Int16Array): void {
    this.cache.set(key, samples);
    this.cachedBytes += samples.byteLength;
    for (const [oldKey, old] of this.cache) {
      if (this.cachedBytes <= this.maxCacheBytes || oldKey === key) break;
      this.cache.delete(oldKey);
      this.cachedBytes -= old.byteLength;
    }
  }
}
