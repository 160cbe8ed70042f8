// The IVR's speech menus (SpeechMenuRecognizer): fork what the caller says and listen until one
// of a few phrases is heard. English goes to pocketsphinx in grammar mode (it can only answer
// with one of the phrases); other languages to the configured streaming provider, whose
// dictation is matched against the phrases.
import type { HotlineConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { SpeechMenuRecognizer, SpeechMenuRequest, SpeechMenuResult } from './contract.js';
import { TranscriptionError } from './errors.js';
import { AudioFork, type ForkSettings } from './fork.js';
import type { ForkAri } from './fork-ari.js';
import type { AsrProvider, AsrStream, SampleRate } from './provider.js';
import { Endpointer } from './endpointer.js';
import type { ProviderRegistry } from './providers/index.js';
import { streamResampler } from './resampling.js';

export interface PhraseRecognizerDeps {
  ari: ForkAri;
  fork: ForkSettings;
  providers: ProviderRegistry;
  settings: HotlineConfig['transcription'];
  log: Logger;
}

/** Lower case, punctuation and spaces out (so '技术支持' and 'Technical support!' compare). */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The phrase `heard` contains (as whole words; Chinese by characters), the longest first. */
export function matchPhrase(heard: string, phrases: string[]): string | null {
  const said = ` ${normalise(heard)} `;
  const compact = said.replace(/\s+/g, '');
  const byLength = [...phrases].sort((a, b) => normalise(b).length - normalise(a).length);
  for (const phrase of byLength) {
    const p = normalise(phrase);
    if (!p) continue;
    if (said.includes(` ${p} `)) return phrase;
    if (/[^ -~]/.test(p) && compact.includes(p.replace(/\s+/g, ''))) return phrase;
  }
  return null;
}

export class PhraseRecognizer implements SpeechMenuRecognizer {
  private readonly running = new Set<() => void>();

  constructor(private readonly deps: PhraseRecognizerDeps) {}

  private providerFor(language: string): { provider: AsrProvider; grammar: boolean } | null {
    const pocketsphinx = this.deps.providers.pocketsphinx();
    if (pocketsphinx.supports(language)) return { provider: pocketsphinx, grammar: true };
    const configured = this.deps.providers.withFallback(this.deps.settings.provider);
    if (configured.supports(language)) return { provider: configured, grammar: false };
    return null;
  }

  supports(language: string): boolean {
    return this.providerFor(language) !== null;
  }

  async recognize(request: SpeechMenuRequest, signal?: AbortSignal): Promise<SpeechMenuResult> {
    const chosen = this.providerFor(request.language);
    if (!chosen)
      throw new TranscriptionError('TRANSCRIPTION_LANGUAGE_UNSUPPORTED', request.language, 'speech menus');
    if (chosen.grammar) {
      const unknown = await this.deps.providers.pocketsphinx().unknownWords(request.phrases);
      if (unknown.length)
        throw new TranscriptionError(
          'TRANSCRIPTION_PHRASE_UNKNOWN',
          request.phrases.join(' | '),
          `the recogniser's dictionary has no ${unknown.map((w) => `"${w}"`).join(', ')}`,
        );
    }
    if (signal?.aborted) return { phrase: null, heard: '', confidence: null };
    const fork = await AudioFork.start(
      this.deps.ari,
      { callId: request.channelId, party: 'menu', channelId: request.channelId },
      this.deps.fork,
      this.deps.log,
    );
    return this.listen(fork, chosen.provider, request, signal);
  }

  private listen(
    fork: AudioFork,
    provider: AsrProvider,
    request: SpeechMenuRequest,
    signal?: AbortSignal,
  ): Promise<SpeechMenuResult> {
    return new Promise<SpeechMenuResult>((resolve) => {
      const heard: string[] = [];
      const streams = new Set<AsrStream>();
      let stream: AsrStream | null = null;
      let convert: ((pcm: Int16Array) => Int16Array) | null = null;
      let endpointer: Endpointer | null = null;
      let settled = false;
      const finish = (result: SpeechMenuResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.running.delete(onAbort);
        for (const s of streams) s.abort();
        void fork.stop();
        resolve(result);
      };
      const onAbort = () => finish({ phrase: null, heard: heard.join(' '), confidence: null });
      const timer = setTimeout(onAbort, request.timeoutMs);
      signal?.addEventListener('abort', onAbort);
      this.running.add(onAbort);
      const open = (inputRate: SampleRate): AsrStream => {
        const s = provider.start(
          {
            language: request.language,
            sampleRate: inputRate,
            phrases: request.phrases,
            label: `menu/${request.channelId}`,
          },
          {
            result: (r) => {
              if (!r.final || settled) return;
              heard.push(r.text);
              const phrase = matchPhrase(r.text, request.phrases);
              if (phrase) finish({ phrase, heard: heard.join(' '), confidence: r.confidence });
            },
            error: (e) => {
              this.deps.log.warn(
                { err: e.message, channel: request.channelId },
                'speech menu recogniser failed',
              );
              finish({ phrase: null, heard: heard.join(' '), confidence: null });
            },
          },
        );
        streams.add(s);
        return s;
      };
      fork.receiver.onAudio((pcm, rate) => {
        if (settled) return;
        const inputRate = provider.inputRate(rate);
        convert ??= streamResampler(rate, inputRate);
        endpointer ??= new Endpointer({
          sampleRate: rate,
          pauseMs: this.deps.settings.pocketsphinx.vadPostspeechMs,
        });
        stream ??= open(inputRate);
        stream.write(convert(pcm));
        // Each utterance is recognised on its own: its end of audio makes the recogniser answer.
        if (endpointer.push(pcm)) {
          const done = stream;
          stream = null;
          void done.end().then(() => streams.delete(done));
        }
      });
    });
  }

  /** Ends every menu still listening (they answer "nothing heard"). */
  close(): Promise<void> {
    for (const stop of [...this.running]) stop();
    return Promise.resolve();
  }
}
