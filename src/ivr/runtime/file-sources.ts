// Where prompts come from in a running hotline: recorded prompts on disk first
// (<promptsDir>/<lang>/<name>.<ext>, in a format the media server plays), TTS otherwise.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TtsCache } from '../tts/index.js';
import type { PromptSources } from './prompts.js';

const RECORDED_FORMATS = ['wav', 'ulaw', 'alaw', 'sln', 'g722', 'sln16'];

/** Recorded prompts on disk first, TTS otherwise. Lookups are remembered for a few seconds. */
export class FilePromptSources implements PromptSources {
  private readonly seen = new Map<string, { at: number; found: boolean }>();

  constructor(
    private readonly dir: string,
    private readonly tts: TtsCache,
  ) {}

  recorded(name: string, soundsLang: string): boolean {
    const key = `${soundsLang}/${name}`;
    const hit = this.seen.get(key);
    if (hit && Date.now() - hit.at < 5000) return hit.found;
    const base = path.join(this.dir, soundsLang, name);
    const found = RECORDED_FORMATS.some((ext) => existsSync(`${base}.${ext}`));
    this.seen.set(key, { at: Date.now(), found });
    return found;
  }

  synthesize(text: string, language: string): Promise<string> {
    return this.tts.media(text, language);
  }
}
