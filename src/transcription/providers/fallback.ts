// A provider in front of two: the primary recognises; when it fails during a stream (server gone,
// process crashed) or cannot do the language at all, the secondary takes over. The audio since the
// primary's last final result is kept and given to the secondary first, so the words in flight at
// the failure are not lost, and its result times are shifted to the stream's clock.
import { streamResampler } from '../resampling.js';
import type { TranscriptionError } from '../errors.js';
import type {
  AsrListener,
  AsrProvider,
  AsrResult,
  AsrStream,
  AsrStreamOptions,
  SampleRate,
} from '../provider.js';
import { samplesToMs } from '../provider.js';

/** Audio kept for a takeover: enough for an utterance in flight, bounded. */
const MAX_REPLAY_MS = 30_000;

export class FallbackProvider implements AsrProvider {
  readonly name: string;

  constructor(
    readonly primary: AsrProvider,
    readonly secondary: AsrProvider,
  ) {
    this.name = primary.name;
  }

  supports(language: string): boolean {
    return this.primary.supports(language) || this.secondary.supports(language);
  }

  inputRate(sampleRate: SampleRate): SampleRate {
    return this.primary.inputRate(sampleRate);
  }

  /** Which provider a stream in `language` starts on. */
  first(language: string): AsrProvider {
    return this.primary.supports(language) ? this.primary : this.secondary;
  }

  start(options: AsrStreamOptions, listener: AsrListener): AsrStream {
    const first = this.first(options.language);
    if (first === this.secondary) return tagged(this.secondary, options, listener, 0);
    return new FallbackStream(this.primary, this.secondary, options, listener);
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.secondary.close()]);
  }
}

/** A stream whose results carry their provider's name and are shifted by `offsetMs`. */
function tagged(
  provider: AsrProvider,
  options: AsrStreamOptions,
  listener: AsrListener,
  offsetMs: number,
): AsrStream {
  return provider.start(options, {
    result: (r) =>
      listener.result({
        ...r,
        startMs: r.startMs + offsetMs,
        endMs: r.endMs + offsetMs,
        provider: provider.name,
      }),
    error: (e) => listener.error(e),
    warning: (e, d) => listener.warning?.(e, d),
    behind: (d) => listener.behind?.(d),
    decoder: (d) => listener.decoder?.(d),
  });
}

class FallbackStream implements AsrStream {
  private active: AsrStream;
  private onSecondary = false;
  private failed = false;
  private samples = 0;
  private lastFinalEndMs = 0;
  private replay: { startMs: number; pcm: Int16Array }[] = [];

  constructor(
    primary: AsrProvider,
    private readonly secondary: AsrProvider,
    private readonly options: AsrStreamOptions,
    private readonly listener: AsrListener,
  ) {
    this.active = primary.start(options, {
      result: (r) => {
        if (this.onSecondary) return;
        if (r.final) this.settled(r);
        listener.result({ ...r, provider: r.provider ?? primary.name });
      },
      error: (e) => this.takeOver(e),
      warning: (e, d) => listener.warning?.(e, d),
      behind: (d) => listener.behind?.(d),
      decoder: (d) => listener.decoder?.(d),
    });
  }

  private settled(result: AsrResult): void {
    this.lastFinalEndMs = Math.max(this.lastFinalEndMs, result.endMs);
    const rate = this.options.sampleRate;
    this.replay = this.replay.filter(
      (c) => c.startMs + samplesToMs(c.pcm.length, rate) > this.lastFinalEndMs,
    );
  }

  private takeOver(error: TranscriptionError): void {
    if (this.onSecondary || this.failed) return;
    this.onSecondary = true;
    if (!this.secondary.supports(this.options.language)) {
      this.failed = true;
      this.listener.error(error);
      return;
    }
    this.listener.warning?.(error, { switchedTo: this.secondary.name });
    const rate = this.secondary.inputRate(this.options.sampleRate);
    const convert = streamResampler(this.options.sampleRate, rate);
    const offsetMs = this.replay[0]?.startMs ?? samplesToMs(this.samples, this.options.sampleRate);
    const stream = tagged(this.secondary, { ...this.options, sampleRate: rate }, this.listener, offsetMs);
    for (const chunk of this.replay) stream.write(convert(chunk.pcm));
    this.replay = [];
    this.active = {
      write: (pcm) => stream.write(convert(pcm)),
      end: () => stream.end(),
      abort: () => stream.abort(),
    };
  }

  write(pcm: Int16Array): void {
    if (this.failed) return;
    if (!this.onSecondary) {
      const rate = this.options.sampleRate;
      this.replay.push({ startMs: samplesToMs(this.samples, rate), pcm });
      while (
        this.replay.length > 1 &&
        samplesToMs(this.samples, rate) - this.replay[0]!.startMs > MAX_REPLAY_MS
      )
        this.replay.shift();
    }
    this.samples += pcm.length;
    this.active.write(pcm);
  }

  async end(): Promise<void> {
    // The primary may fail while finishing: then the secondary has taken over and must finish too.
    let ending: AsrStream | null = null;
    while (ending !== this.active) {
      ending = this.active;
      await ending.end();
    }
  }

  abort(): void {
    this.active.abort();
  }
}
