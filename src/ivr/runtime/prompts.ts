// Turns a step's prompt (text per language, recorded prompt names, media URIs) into ARI media and
// plays it on the caller's channel. A recorded prompt (sounds/<lang>/<name>.wav) wins over TTS
// when present; TTS output is a cached WAV the media server plays as `sound:`.
import { pickText, type Prompt } from '../flow/fields.js';
import type { CallChannel, Playback, PlaybackEnd } from '../resources/contract.js';
import type { LanguageTable } from '../languages.js';
import type { Scope } from './scope.js';
import { render, type Scopeless } from './template.js';

export interface PromptSources {
  /** Whether a recorded prompt `name` exists for the sounds folder `soundsLang`. */
  recorded(name: string, soundsLang: string): boolean;
  /** Speaks `text` in `language` (a key of the language table); resolves to a media URI. */
  synthesize(text: string, language: string): Promise<string>;
}

export interface PromptPlayback {
  readonly started: Promise<void>;
  readonly finished: Promise<PlaybackEnd>;
  stop(): Promise<void>;
}

export interface PromptPlayer {
  /** Resolves the media (synthesising if needed) and queues it; stopped when `scope` closes. */
  play(prompt: Prompt, scope: Scope, extra?: Scopeless): Promise<PromptPlayback>;
  /** The media URIs a prompt resolves to, without playing (for the call's trail and tests). */
  resolve(prompt: Prompt, extra?: Scopeless): Promise<string[]>;
}

export interface PromptPlayerOptions {
  channel: CallChannel;
  sources: PromptSources;
  languages: LanguageTable;
  language: () => string;
  /** Variables for `{{...}}` in prompt text. */
  root: (extra?: Scopeless) => Scopeless;
  /**
   * Called when a prompt's first audio goes out, with when it was asked for and when it started
   * (latency figures).
   */
  onStarted?: (requestedAt: number, startedAt: number) => void;
}

export interface ResolvedMedia {
  uri: string;
  /** ARI `lang` of the playback (the language's sounds folder). */
  lang?: string;
}

export class ChannelPromptPlayer implements PromptPlayer {
  constructor(private readonly o: PromptPlayerOptions) {}

  async resolve(prompt: Prompt, extra?: Scopeless): Promise<string[]> {
    return (await this.resolveAll(prompt, extra)).map((m) => m.uri);
  }

  private async resolveAll(prompt: Prompt, extra?: Scopeless): Promise<ResolvedMedia[]> {
    const root = this.o.root(extra);
    const media: ResolvedMedia[] = [];
    for (const item of prompt) {
      const language = item.lang ?? this.o.language();
      const lang = this.o.languages[language]?.sounds;
      if (item.media) {
        media.push({ uri: render(item.media, root), lang });
      } else if (
        item.sound &&
        (item.say === undefined || (lang && this.o.sources.recorded(item.sound, lang)))
      ) {
        media.push({ uri: `sound:${item.sound}`, lang });
      } else if (item.say !== undefined) {
        const text = render(pickText(item.say, language), root).trim();
        if (text) media.push({ uri: await this.o.sources.synthesize(text, language), lang });
      }
    }
    return media;
  }

  async play(prompt: Prompt, scope: Scope, extra?: Scopeless): Promise<PromptPlayback> {
    const media = await scope.wait(this.resolveAll(prompt, extra));
    const requestedAt = Date.now();
    const playbacks: Playback[] = [];
    const stopAll = () => Promise.all(playbacks.map((p) => p.stop())).then(() => undefined);
    scope.onClose(stopAll);
    // Timed from the first item's start, not from when the later items have been queued too.
    let startedAt: Promise<number> | null = null;
    // One playback per media URI, queued at once: the server plays a channel's playbacks in
    // order, so there is no gap between them, and no server needs to support playlists.
    for (const { uri, lang } of media) {
      if (scope.closed) break;
      const playback = await scope.wait(this.o.channel.play(uri, lang ? { lang } : {}));
      startedAt ??= playback.started.then(() => Date.now());
      playbacks.push(playback);
      if (scope.closed) await playback.stop();
    }
    const onStarted = this.o.onStarted;
    const first = startedAt;
    const report = onStarted && first ? () => first.then((at) => onStarted(requestedAt, at)) : undefined;
    return combine(playbacks, stopAll, report);
  }
}

function combine(
  playbacks: Playback[],
  stop: () => Promise<void>,
  onStarted?: () => Promise<void>,
): PromptPlayback {
  if (!playbacks.length) {
    return { started: Promise.resolve(), finished: Promise.resolve('done'), stop: () => Promise.resolve() };
  }
  const started = playbacks[0]!.started.then(() => onStarted?.());
  const finished = Promise.all(playbacks.map((p) => p.finished)).then((ends): PlaybackEnd => {
    if (ends.includes('cancelled')) return 'cancelled';
    if (ends.every((e) => e === 'failed')) return 'failed';
    return 'done';
  });
  return { started, finished, stop };
}
