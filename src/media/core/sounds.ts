// Prompts on disk: `<soundsDir>/<lang>/<name>.<ext>`, several folders searched in order, with
// Asterisk's language fallback (en_US → en → no language folder → en). Also lists them for
// GET /sounds, naming formats as Asterisk does (a .wav prompt is "slin").
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** File extension → Asterisk format name, for the extensions the media engine can play. */
const FORMATS: Record<string, string> = {
  wav: 'slin',
  g722: 'g722',
  ulaw: 'ulaw',
  alaw: 'alaw',
  sln: 'slin',
  sln16: 'slin16',
};

const NARROWBAND_ORDER = ['wav', 'ulaw', 'alaw', 'sln', 'g722', 'sln16'];
const WIDEBAND_ORDER = ['g722', 'sln16', 'wav', 'ulaw', 'alaw', 'sln'];

export interface SoundFormat {
  language: string;
  format: string;
}

export interface SoundInfo {
  id: string;
  formats: SoundFormat[];
}

function languagesToTry(language: string): string[] {
  const out = [language];
  const base = language.split('_')[0]!;
  if (base && base !== language) out.push(base);
  out.push('');
  if (!out.includes('en')) out.push('en');
  return out.filter((l, i) => out.indexOf(l) === i);
}

/** Sound names may name subfolders (digits/1) but never climb out of the sounds folder. */
export function isSafeSoundName(name: string): boolean {
  return Boolean(name) && !name.split('/').some((part) => part === '..') && !name.includes('\0');
}

export class SoundLibrary {
  constructor(private readonly dirs: readonly string[]) {}

  /**
   * The file for a prompt, preferring a format that suits the call's sample rate; an absolute
   * name (sound:/var/prompts/x) is used as it is. Null when no folder has it.
   */
  find(name: string, language: string, sampleRate: number = 8000): string | null {
    if (!isSafeSoundName(name)) return null;
    const order = sampleRate > 8000 ? WIDEBAND_ORDER : NARROWBAND_ORDER;
    if (path.isAbsolute(name)) return this.firstExisting(name, order);
    for (const lang of languagesToTry(language)) {
      for (const dir of this.dirs) {
        const found = this.firstExisting(path.join(dir, lang, name), order);
        if (found) return found;
      }
    }
    return null;
  }

  private firstExisting(base: string, order: readonly string[]): string | null {
    // A name given with its extension (hello-world.wav) is taken as it is.
    if (path.extname(base).slice(1) in FORMATS && existsSync(base)) return base;
    for (const ext of order) {
      const file = `${base}.${ext}`;
      if (existsSync(file)) return file;
    }
    return null;
  }

  /** Every prompt, with the languages and formats it exists in (optionally filtered). */
  list(filter: { lang?: string; format?: string } = {}): SoundInfo[] {
    const byId = new Map<string, SoundFormat[]>();
    for (const dir of this.dirs) {
      let languages: string[];
      try {
        languages = readdirSync(dir).filter((l) => statSync(path.join(dir, l)).isDirectory());
      } catch {
        continue;
      }
      for (const language of languages) {
        if (filter.lang && filter.lang !== language) continue;
        this.walk(path.join(dir, language), '', (id, format) => {
          if (filter.format && filter.format !== format) return;
          const formats = byId.get(id) ?? [];
          if (!formats.some((f) => f.language === language && f.format === format))
            formats.push({ language, format });
          byId.set(id, formats);
        });
      }
    }
    return [...byId.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, formats]) => ({ id, formats }));
  }

  get(id: string): SoundInfo | null {
    if (!isSafeSoundName(id)) return null;
    const formats: SoundFormat[] = [];
    for (const dir of this.dirs) {
      let languages: string[];
      try {
        languages = readdirSync(dir);
      } catch {
        continue;
      }
      for (const language of languages) {
        for (const [ext, format] of Object.entries(FORMATS)) {
          if (!existsSync(path.join(dir, language, `${id}.${ext}`))) continue;
          if (!formats.some((f) => f.language === language && f.format === format))
            formats.push({ language, format });
        }
      }
    }
    return formats.length ? { id, formats } : null;
  }

  private walk(dir: string, prefix: string, visit: (id: string, format: string) => void): void {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        this.walk(path.join(dir, entry.name), `${prefix}${entry.name}/`, visit);
        continue;
      }
      const ext = path.extname(entry.name).slice(1);
      const format = FORMATS[ext];
      if (format) visit(`${prefix}${entry.name.slice(0, -ext.length - 1)}`, format);
    }
  }
}
