// Turns one ARI media URI into what the engine plays, with Asterisk's outcomes for each kind of
// failure (they decide which events a controller sees):
//   play        — files or a tone to play;
//   missing     — the prompt does not exist: Asterisk starts the playback and fails it at once;
//   unsupported — unknown scheme, no such stored recording, or a number that does not parse:
//                 Asterisk starts the playback and never finishes it (it skips the item).
// digits:/number:/characters: skip prompts that are missing, as Asterisk's say functions do.
import type { MediaItem, PlaylistEntry } from '../engine/contract.js';
import type { StoredRecordings } from './recordings.js';
import { NumberTooBig, parseSayNumber, sayCharacters, sayDigits, sayNumber } from './say.js';
import type { SoundLibrary } from './sounds.js';
import { resolveTone } from './tones.js';

export type ResolvedMedia =
  | { kind: 'play'; entry: PlaylistEntry; controllable: boolean }
  | { kind: 'missing'; controllable: boolean }
  | { kind: 'unsupported' };

export interface MediaContext {
  language: string;
  /** The target's audio sample rate, to pick wideband prompts for wideband calls. */
  sampleRate: number;
}

export class MediaResolver {
  constructor(
    private readonly sounds: SoundLibrary,
    private readonly recordings: StoredRecordings,
  ) {}

  resolve(uri: string, ctx: MediaContext): ResolvedMedia {
    const colon = uri.indexOf(':');
    const scheme = colon > 0 ? uri.slice(0, colon) : '';
    const rest = uri.slice(colon + 1);
    switch (scheme) {
      case 'sound': {
        const file = this.sounds.find(rest, ctx.language, ctx.sampleRate);
        return file ? this.files(uri, [file], true) : { kind: 'missing', controllable: true };
      }
      case 'recording': {
        const stored = this.recordings.find(rest);
        return stored ? this.files(uri, [stored.file], true) : { kind: 'unsupported' };
      }
      case 'tone': {
        const tone = resolveTone(rest);
        if (!tone) return { kind: 'missing', controllable: true };
        const item: MediaItem = {
          kind: 'tone',
          tone: tone.tone,
          ...(tone.durationMs ? { durationMs: tone.durationMs } : {}),
        };
        return { kind: 'play', entry: { uri, items: [item] }, controllable: true };
      }
      case 'digits':
        return this.prompts(uri, sayDigits(rest), ctx);
      case 'characters':
        return this.prompts(uri, sayCharacters(rest), ctx);
      case 'number': {
        const n = parseSayNumber(rest);
        if (n === null) return { kind: 'unsupported' };
        try {
          return this.prompts(uri, sayNumber(n, ctx.language), ctx);
        } catch (err) {
          if (err instanceof NumberTooBig) return { kind: 'missing', controllable: false };
          throw err;
        }
      }
      default:
        return { kind: 'unsupported' };
    }
  }

  private files(uri: string, files: string[], controllable: boolean): ResolvedMedia {
    return {
      kind: 'play',
      entry: { uri, items: files.map((path) => ({ kind: 'file', path })) },
      controllable,
    };
  }

  private prompts(uri: string, names: string[], ctx: MediaContext): ResolvedMedia {
    const files = names
      .map((name) => this.sounds.find(name, ctx.language, ctx.sampleRate))
      .filter((f): f is string => f !== null);
    if (!files.length)
      return {
        kind: 'play',
        entry: { uri, items: [{ kind: 'silence', durationMs: 0 }] },
        controllable: false,
      };
    return this.files(uri, files, false);
  }
}
