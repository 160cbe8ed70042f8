// The one streaming interface every speech recogniser sits behind (pocketsphinx, a Vosk-protocol
// WebSocket server, Google, and whatever vendor comes next): 16-bit PCM in, timed results out.
// A provider knows nothing of calls, parties, RTP or storage; the session above it does.
import type { TranscriptionError } from './errors.js';

export type SampleRate = 8000 | 16000;

export interface AsrStreamOptions {
  /** BCP 47, e.g. 'en-US', 'cmn-Hans-CN'. */
  language: string;
  /** Rate of the PCM written to the stream: what `provider.inputRate()` asked for. */
  sampleRate: SampleRate;
  /**
   * Listen for these phrases only (speech menus). A provider that can restrict its vocabulary
   * does (pocketsphinx grammar, Vosk phrase list, Google speech contexts); the caller still
   * matches the text against the phrases.
   */
  phrases?: string[];
  /** For logs: which call and party this stream is. */
  label?: string;
}

/** One recognition result. Times are milliseconds of audio from the first sample written. */
export interface AsrResult {
  text: string;
  startMs: number;
  endMs: number;
  /** 0..1, or null when the recogniser gives none. */
  confidence: number | null;
  /** Interim results may still change; a final one covers its audio for good. */
  final: boolean;
  /** What the recogniser says it recognised (may differ from the requested language). */
  language: string;
  /** Which provider produced it, when a stream can switch providers (fallback). */
  provider?: string;
}

export interface AsrListener {
  result(result: AsrResult): void;
  /** The stream failed and produces nothing more (unless a fallback takes over). */
  error(error: TranscriptionError): void;
  /** Something went wrong but the stream goes on (e.g. a fallback provider took over). */
  warning?(error: TranscriptionError, detail: Record<string, unknown>): void;
  /** The recogniser is over capacity: this much of the stream's speech was not transcribed. */
  behind?(detail: { skippedMs: number } & Record<string, unknown>): void;
  /**
   * The recogniser's decoder settings changed for this stream (the offline recogniser under load:
   * `underLoad` is cheaper and rougher). Said when a stream first gets `underLoad`, and at each
   * change after that.
   */
  decoder?(detail: { decoder: 'standard' | 'underLoad' } & Record<string, unknown>): void;
}

export interface AsrStream {
  /**
   * Audio at the stream's rate. The stream owns the array from here: do not reuse it. Writing to
   * a stream that failed or ended is a no-op.
   */
  write(pcm: Int16Array): void;
  /** No more audio: resolves once the last results have been delivered to the listener. */
  end(): Promise<void>;
  /** Stops at once; pending results are dropped and the listener hears nothing more. */
  abort(): void;
}

export interface AsrProvider {
  readonly name: string;
  /** Whether this provider can recognise `language` (BCP 47) at all. */
  supports(language: string): boolean;
  /** The rate this provider wants for audio that arrives at `sampleRate`. */
  inputRate(sampleRate: SampleRate): SampleRate;
  start(options: AsrStreamOptions, listener: AsrListener): AsrStream;
  /** Releases what the provider holds across streams (clients, connections). */
  close(): Promise<void>;
}

/** Milliseconds of audio in `samples` samples at `rate`. */
export function samplesToMs(samples: number, rate: number): number {
  return Math.round((samples * 1000) / rate);
}

/** 'en-US' matches 'en-US' and 'en'; 'en' matches any English tag. Case-insensitive. */
export function languageMatches(wanted: string, offered: string): boolean {
  const w = wanted.toLowerCase();
  const o = offered.toLowerCase();
  if (w === o) return true;
  const primary = (tag: string) => tag.split('-')[0];
  if (!w.includes('-') || !o.includes('-')) return primary(w) === primary(o);
  return false;
}
