// The embedded, offline recogniser: Debian's `pocketsphinx_continuous` with its US English model
// (packages pocketsphinx, pocketsphinx-en-us), one process per stream, started at the stream's
// first speech (from a stock of warm ones when configured: sphinx-process.ts). Audio streams into it
// through a FIFO, through a speech gate: only stretches of speech go in, and when the speaker has
// paused for `vadPostspeechMs` a short run of digital silence follows, on which the recogniser's
// own voice-activity detector closes the utterance and prints the hypothesis with word times at
// once. So segments come out as the speaker pauses, timed on the stream's own clock. With
// `phrases` it decodes against a JSGF grammar of just those phrases (speech menus) instead of the
// dictation language model. Dictation utterances pass a capacity control first
// (utterance-admission.ts).
//
// Its model is 16 kHz only: 8 kHz (G.711) audio is upsampled first and recognised badly (about
// 96% word errors on real 8 kHz recordings, 34–41% on the same at 16 kHz; docs/transcription.md).
// No results until the speaker pauses: it gives finals only, no interim results.
import { readFile } from 'node:fs/promises';
import { TranscriptionError, messageOf } from '../errors.js';
import type { AsrListener, AsrProvider, AsrStream, AsrStreamOptions, SampleRate } from '../provider.js';
import { languageMatches } from '../provider.js';
import { SpeechGate, type GateOutput } from '../speech-gate.js';
import { resultOf, SphinxOutputParser } from './pocketsphinx-output.js';
import { SphinxProcess, WarmSphinxPool } from './sphinx-process.js';
import { DecodeSlots, UtteranceAdmission } from './utterance-admission.js';

/** Silence that fills the recogniser's own end-of-utterance window (sphinx-process.ts: 20 frames). */
const CLOSING_SILENCE_MS = 400;
/** No output for this long after some: the utterance printed is complete (pocketsphinx-output.ts). */
const OUTPUT_QUIET_MS = 50;
/** pocketsphinx_continuous reads its input 2048 samples at a time and waits for a whole read. */
const READ_SAMPLES = 2048;

export interface PocketsphinxSettings {
  command: string;
  /** Acoustic model folder, language model and pronunciation dictionary. */
  hmm: string;
  lm: string;
  dict: string;
  /** The language the model recognises. */
  language: string;
  /** The pause that ends an utterance (a segment). */
  vadPostspeechMs: number;
  /** More command-line options, appended as given (e.g. ["-beam", "1e-40"]). */
  args: string[];
  /** Decoder options for dictation only (config default: the fast settings, docs/transcription.md). */
  dictationArgs?: string[];
  /** Dictation recognisers kept started, their model loaded, for the next streams. */
  warmProcesses?: number;
  /** Utterances decoded at once across all calls (dictation; 0: no limit). */
  maxUtterances?: number;
  /** How long an utterance may wait for a decoding slot before it is skipped. */
  maxWaitMs?: number;
  /** How long `end()` waits for the last utterance before killing the process. */
  endTimeoutMs?: number;
  /** Name prefix of each stream's temporary folder (FIFO, grammar). */
  tempPrefix?: string;
}

/** The words of a phrase as the dictionary spells them: lower case, letters and apostrophes. */
export function phraseWords(phrase: string): string[] {
  return phrase
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** A JSGF grammar whose sentences are exactly the given phrases. */
export function jsgfGrammar(phrases: string[]): string {
  const alternatives = [...new Set(phrases.map((p) => phraseWords(p).join(' ')).filter(Boolean))];
  if (!alternatives.length)
    throw new TranscriptionError('TRANSCRIPTION_PHRASE_UNKNOWN', '(none)', 'no words');
  return `#JSGF V1.0;\ngrammar menu;\npublic <menu> = ${alternatives.map((a) => `( ${a} )`).join(' | ')} ;\n`;
}

export class PocketsphinxProvider implements AsrProvider {
  readonly name = 'pocketsphinx';
  private dictionary: Promise<Set<string>> | null = null;
  /** Shared by the dictation streams; speech menus are not held back (a caller waits on them). */
  readonly slots: DecodeSlots;

  private readonly warm: WarmSphinxPool;

  constructor(private readonly settings: PocketsphinxSettings) {
    this.slots = new DecodeSlots(settings.maxUtterances ?? 0);
    this.warm = new WarmSphinxPool(settings, 16000, settings.warmProcesses ?? 0);
  }

  supports(language: string): boolean {
    return languageMatches(language, this.settings.language);
  }

  inputRate(): SampleRate {
    return 16000;
  }

  /** Words of `phrases` the dictionary does not know (pocketsphinx refuses such a grammar). */
  async unknownWords(phrases: string[]): Promise<string[]> {
    this.dictionary ??= readFile(this.settings.dict, 'utf8').then(
      (text) => new Set(text.split('\n').map((line) => line.split(/\s/, 1)[0]!.replace(/\(\d+\)$/, ''))),
    );
    const known = await this.dictionary;
    return [...new Set(phrases.flatMap(phraseWords))].filter((w) => !known.has(w));
  }

  start(options: AsrStreamOptions, listener: AsrListener): AsrStream {
    const dictation = !options.phrases?.length;
    return new PocketsphinxStream(
      this.settings,
      options,
      listener,
      dictation ? this.slots : null,
      dictation && options.sampleRate === 16000 ? this.warm : null,
    );
  }

  /** Starts the stock of warm recognisers; resolves when their models are loaded. */
  warmUp(): Promise<void> {
    return this.warm.warmUp();
  }

  async close(): Promise<void> {
    await this.warm.close();
  }
}

type StreamState = 'starting' | 'running' | 'ending' | 'done';

class PocketsphinxStream implements AsrStream {
  private state: StreamState = 'starting';
  private queued: Int16Array[] = [];
  private proc: SphinxProcess | null = null;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;
  private endTimer: NodeJS.Timeout | null = null;
  private quietTimer: NodeJS.Timeout | null = null;
  private silenced = false;
  private exited: Promise<void> = Promise.resolve();
  /** The process starts with the first speech: a party who never speaks costs no model load. */
  private launched: Promise<void> | null = null;
  private readonly gate: SpeechGate;
  private readonly admission: UtteranceAdmission | null;
  private readonly parser: SphinxOutputParser;
  /** Samples written to the process, and where each run of them sits on the stream's clock. */
  private fed = 0;
  private readonly pieces: { fed: number; real: number; gap: boolean }[] = [];

  constructor(
    private readonly settings: PocketsphinxSettings,
    private readonly options: AsrStreamOptions,
    private readonly listener: AsrListener,
    slots: DecodeSlots | null,
    private readonly warm: WarmSphinxPool | null,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.gate = new SpeechGate({ sampleRate: options.sampleRate, pauseMs: settings.vadPostspeechMs });
    this.admission =
      slots &&
      new UtteranceAdmission({
        slots,
        sampleRate: options.sampleRate,
        maxWaitMs: settings.maxWaitMs ?? 2_000,
        deliver: (piece) => this.feed(piece),
        skipped: (detail) =>
          this.listener.behind?.({ ...detail, provider: 'pocketsphinx', label: options.label }),
      });
    this.parser = new SphinxOutputParser((utterance) => {
      this.admission?.resolved();
      const result = resultOf(utterance, this.settings.language);
      if (result && !this.silenced)
        this.listener.result({
          ...result,
          startMs: this.realMs(result.startMs),
          endMs: this.realMs(result.endMs),
        });
    });
    // A speech menu listens from the start: its recogniser is loading while the prompt plays.
    if (options.phrases?.length) this.ensureLaunched();
  }

  private ensureLaunched(): void {
    this.launched ??= this.launch().catch((err: unknown) =>
      this.fail('TRANSCRIPTION_PROVIDER_UNAVAILABLE', messageOf(err)),
    );
  }

  private async launch(): Promise<void> {
    const grammar = this.options.phrases?.length ? jsgfGrammar(this.options.phrases) : null;
    const proc =
      this.warm && !grammar
        ? await this.warm.take()
        : await SphinxProcess.spawn(this.settings, this.options.sampleRate, grammar);
    this.proc = proc;
    this.exited = proc.exited;
    if (this.state === 'done') {
      // Aborted while starting.
      await proc.dispose();
      return;
    }
    const parser = this.parser;
    proc.onStdout((chunk) => {
      parser.push(chunk);
      // pocketsphinx_continuous prints an utterance in one flush: quiet after it means complete.
      if (this.quietTimer) clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => parser.quiet(), OUTPUT_QUIET_MS);
      this.quietTimer.unref();
    });
    proc.onError((err: NodeJS.ErrnoException) => {
      const hint =
        err.code === 'ENOENT'
          ? `${this.settings.command} not found: install the Debian packages pocketsphinx and pocketsphinx-en-us`
          : err.message;
      this.fail('TRANSCRIPTION_PROVIDER_UNAVAILABLE', hint);
    });
    proc.onClose((code, signal) => {
      parser.end();
      if (this.state !== 'ending' && this.state !== 'done') {
        this.fail('TRANSCRIPTION_PROVIDER_FAILED', `exited (${signal ?? code}): ${this.lastError()}`);
        return;
      }
      if (code !== 0 && this.state === 'ending' && !signal)
        this.fail('TRANSCRIPTION_PROVIDER_FAILED', `exited with ${code}: ${this.lastError()}`);
      this.finish();
    });
    if (this.state === 'starting') this.state = 'running';
    for (const pcm of this.queued) this.send(pcm);
    this.queued = [];
    if (this.state === 'ending') proc.fifo.writer.end();
  }

  private lastError(): string {
    const tail = this.proc?.stderrTail ?? '';
    const lines = tail.split('\n').filter((l) => /ERROR|FATAL/.test(l));
    return (lines.slice(-2).join(' ') || tail.slice(-300)).trim() || 'no message';
  }

  private send(pcm: Int16Array): void {
    this.proc!.fifo.writer.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  }

  write(pcm: Int16Array): void {
    if (this.state !== 'running' && this.state !== 'starting') return;
    for (const piece of this.gate.push(pcm)) this.admit(piece);
  }

  private admit(piece: GateOutput): void {
    if (this.admission) this.admission.push(piece);
    else this.feed(piece);
  }

  private feed(piece: GateOutput): void {
    this.ensureLaunched();
    const rate = this.options.sampleRate;
    let pcm: Int16Array;
    if (piece.kind === 'speech') {
      const last = this.pieces[this.pieces.length - 1];
      if (!last || last.gap || last.real + (this.fed - last.fed) !== piece.at)
        this.pieces.push({ fed: this.fed, real: piece.at, gap: false });
      pcm = piece.pcm;
    } else {
      // Enough silence for the recogniser's detector to close the utterance.
      this.pieces.push({ fed: this.fed, real: piece.at, gap: true });
      // Filled up to a whole read (a partial one would wait for the next speech to complete it),
      // plus one more read: the detector decides on what it has read, a read behind.
      const closing = Math.round((CLOSING_SILENCE_MS * rate) / 1000) + READ_SAMPLES;
      pcm = new Int16Array(closing + ((READ_SAMPLES - ((this.fed + closing) % READ_SAMPLES)) % READ_SAMPLES));
    }
    this.fed += pcm.length;
    if (this.state === 'running') this.send(pcm);
    else this.queued.push(pcm);
  }

  /** A time on what the recogniser heard → the same moment on the stream's clock. */
  private realMs(fedMs: number): number {
    const rate = this.options.sampleRate;
    const sample = Math.round((fedMs * rate) / 1000);
    let piece = this.pieces[0];
    for (const p of this.pieces) {
      if (p.fed > sample) break;
      piece = p;
    }
    if (!piece) return fedMs;
    const real = piece.gap ? piece.real : piece.real + (sample - piece.fed);
    return Math.round((real * 1000) / rate);
  }

  end(): Promise<void> {
    if (this.state === 'running' || this.state === 'starting') {
      for (const piece of this.gate.flush()) this.admit(piece);
      this.admission?.close();
      // Never spoke: no process was started, nothing to wait for.
      if (!this.launched) this.finish();
    }
    if (this.state === 'running') {
      this.state = 'ending';
      this.proc!.fifo.writer.end();
    } else if (this.state === 'starting') {
      this.state = 'ending';
    }
    if (this.state === 'ending' && !this.endTimer) {
      this.endTimer = setTimeout(() => this.kill(), this.settings.endTimeoutMs ?? 10_000);
      this.endTimer.unref();
    }
    return this.finished;
  }

  abort(): void {
    this.silenced = true;
    this.kill();
  }

  private kill(): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.proc?.kill();
    this.finish();
  }

  private fail(
    code: 'TRANSCRIPTION_PROVIDER_UNAVAILABLE' | 'TRANSCRIPTION_PROVIDER_FAILED',
    detail: string,
  ): void {
    if (this.state === 'done') return;
    const silenced = this.silenced;
    this.silenced = true;
    this.state = 'done';
    this.proc?.kill();
    if (!silenced) this.listener.error(new TranscriptionError(code, 'pocketsphinx', detail));
    this.finish();
  }

  private finish(): void {
    this.state = 'done';
    if (this.endTimer) clearTimeout(this.endTimer);
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.queued = [];
    this.admission?.close();
    if (this.warm && this.launched) this.warm.replenish();
    // Done only once the process is gone and its FIFO deleted: nothing outlives the stream.
    const removed = (this.launched ?? Promise.resolve()).then(() => this.proc?.fifo.remove());
    Promise.all([removed, this.exited]).then(
      () => this.resolveFinished(),
      () => this.resolveFinished(),
    );
  }
}
