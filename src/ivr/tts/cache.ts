// Synthesised prompts are made once: the WAV is named by a hash of (provider, voice, text) in
// ivr.ttsCacheDir, and played as `sound:<cache dir>/<hash>` (an absolute sound name, which both
// Asterisk and the embedded media server accept), or under ivr.ttsSoundPrefix when the media
// server sees the cache under another path. Concurrent calls asking for the same text wait for
// one synthesis.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LanguageTable } from '../languages.js';
import { IvrError } from '../errors.js';
import type { TtsProvider } from './contract.js';

export interface TtsCacheOptions {
  dir: string;
  provider: TtsProvider;
  languages: LanguageTable;
  /** Media URI prefix instead of the cache's absolute path, e.g. `hotline-tts/`. */
  soundPrefix?: string;
}

export class TtsCache {
  private readonly known = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly dir: string;
  synthesized = 0;
  hits = 0;

  constructor(private readonly o: TtsCacheOptions) {
    this.dir = path.resolve(o.dir);
    mkdirSync(this.dir, { recursive: true });
  }

  keyOf(text: string, language: string): string {
    const settings = this.o.languages[language];
    if (!settings) throw new IvrError('IVR_TTS_FAILED', `language "${language}" is not configured`);
    return createHash('sha256')
      .update(`${this.o.provider.name}\0${this.o.provider.voiceOf(settings)}\0${text}`)
      .digest('hex')
      .slice(0, 32);
  }

  fileOf(key: string): string {
    return path.join(this.dir, `${key}.wav`);
  }

  mediaOf(key: string): string {
    return this.o.soundPrefix !== undefined
      ? `sound:${this.o.soundPrefix}${key}`
      : `sound:${path.join(this.dir, key)}`;
  }

  /** The media URI for `text` in `language`, synthesising it first if it is not cached. */
  async media(text: string, language: string): Promise<string> {
    const key = this.keyOf(text, language);
    if (this.known.has(key)) {
      this.hits++;
      return this.mediaOf(key);
    }
    const file = this.fileOf(key);
    if (existsSync(file)) {
      this.known.add(key);
      this.hits++;
      return this.mediaOf(key);
    }
    let job = this.inFlight.get(key);
    if (!job) {
      job = this.make(text, language, file).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, job);
    }
    await job;
    this.known.add(key);
    return this.mediaOf(key);
  }

  private async make(text: string, language: string, file: string): Promise<void> {
    // Written under a temporary name and renamed: a half-written file is never played.
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp.wav`;
    try {
      await this.o.provider.synthesize(text, this.o.languages[language]!, tmp);
      await rename(tmp, file);
      this.synthesized++;
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
