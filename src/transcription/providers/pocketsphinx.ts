// The embedded, offline recogniser: Debian's `pocketsphinx_continuous` with its US English model
// (packages pocketsphinx, pocketsphinx-en-us), one process per stream. Audio streams into it
// through a FIFO, through a speech gate: only stretches of speech go in, and when the speaker has
// paused for `vadPostspeechMs` a short run of digital silence follows, on which the recogniser's
// own voice-activity detector closes the utterance and prints the hypothesis with word times at
// once. So segments come out as the speaker pauses, timed on the stream's own clock. With `phrases` it decodes against a JSGF grammar of just those phrases
// (speech menus) instead of the dictation language model.
//
// Its model is 16 kHz only: 8 kHz (G.711) audio is upsampled first and recognised badly (about
// 96% word errors on real 8 kHz recordings, 34–41% on the same at 16 kHz; docs/transcription.md).
// No results until the speaker pauses: it gives finals only, no interim results.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TranscriptionError, messageOf } from '../errors.js';
import type { AsrListener, AsrProvider, AsrStream, AsrStreamOptions, SampleRate } from '../provider.js';
import { languageMatches } from '../provider.js';
import { SpeechGate, type GateOutput } from '../speech-gate.js';
import { createFifo, type FifoDir } from './fifo.js';
import { resultOf, SphinxOutputParser } from './pocketsphinx-output.js';

/** The recogniser's own end-of-utterance window (frames of 10 ms) and the silence that fills it. */
const VAD_POSTSPEECH_FRAMES = 20;
const CLOSING_SILENCE_MS = 400;
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

  constructor(private readonly settings: PocketsphinxSettings) {}

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
    return new PocketsphinxStream(this.settings, options, listener);
  }

  async close(): Promise<void> {}
}

type StreamState = 'starting' | 'running' | 'ending' | 'done';

class PocketsphinxStream implements AsrStream {
  private state: StreamState = 'starting';
  private queued: Int16Array[] = [];
  private fifo: FifoDir | null = null;
  private child: ChildProcess | null = null;
  private stderrTail = '';
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;
  private endTimer: NodeJS.Timeout | null = null;
  private silenced = false;
  private exited: Promise<void> = Promise.resolve();
  private readonly launched: Promise<void>;
  private readonly gate: SpeechGate;
  /** Samples written to the process, and where each run of them sits on the stream's clock. */
  private fed = 0;
  private readonly pieces: { fed: number; real: number; gap: boolean }[] = [];

  constructor(
    private readonly settings: PocketsphinxSettings,
    private readonly options: AsrStreamOptions,
    private readonly listener: AsrListener,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.gate = new SpeechGate({ sampleRate: options.sampleRate, pauseMs: settings.vadPostspeechMs });
    this.launched = this.launch().catch((err: unknown) =>
      this.fail('TRANSCRIPTION_PROVIDER_UNAVAILABLE', messageOf(err)),
    );
  }

  private async launch(): Promise<void> {
    const grammar = this.options.phrases?.length ? jsgfGrammar(this.options.phrases) : null;
    const fifo = await createFifo(this.settings.tempPrefix);
    this.fifo = fifo;
    const model = ['-hmm', this.settings.hmm, '-dict', this.settings.dict];
    if (grammar) {
      const file = path.join(fifo.dir, 'menu.gram');
      await writeFile(file, grammar);
      model.push('-jsgf', file);
    } else {
      model.push('-lm', this.settings.lm);
    }
    const args = [
      '-infile',
      fifo.fifoPath,
      '-samprate',
      String(this.options.sampleRate),
      ...model,
      '-time',
      'yes',
      '-vad_postspeech',
      String(VAD_POSTSPEECH_FRAMES),
      ...this.settings.args,
    ];
    if (this.state === 'done') return; // aborted while starting: finish() removes the FIFO
    const child = spawn(this.settings.command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    });
    const parser = new SphinxOutputParser((utterance) => {
      const result = resultOf(utterance, this.settings.language);
      if (result && !this.silenced)
        this.listener.result({
          ...result,
          startMs: this.realMs(result.startMs),
          endMs: this.realMs(result.endMs),
        });
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => parser.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      const hint =
        err.code === 'ENOENT'
          ? `${this.settings.command} not found: install the Debian packages pocketsphinx and pocketsphinx-en-us`
          : err.message;
      this.fail('TRANSCRIPTION_PROVIDER_UNAVAILABLE', hint);
    });
    child.once('close', (code, signal) => {
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
    if (this.state === 'ending') fifo.writer.end();
  }

  private lastError(): string {
    const lines = this.stderrTail.split('\n').filter((l) => /ERROR|FATAL/.test(l));
    return (lines.slice(-2).join(' ') || this.stderrTail.slice(-300)).trim() || 'no message';
  }

  private send(pcm: Int16Array): void {
    this.fifo!.writer.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  }

  write(pcm: Int16Array): void {
    if (this.state !== 'running' && this.state !== 'starting') return;
    for (const piece of this.gate.push(pcm)) this.feed(piece);
  }

  private feed(piece: GateOutput): void {
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
    if (this.state === 'running' || this.state === 'starting')
      for (const piece of this.gate.flush()) this.feed(piece);
    if (this.state === 'running') {
      this.state = 'ending';
      this.fifo!.writer.end();
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
    this.child?.kill('SIGKILL');
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
    this.child?.kill('SIGKILL');
    if (!silenced) this.listener.error(new TranscriptionError(code, 'pocketsphinx', detail));
    this.finish();
  }

  private finish(): void {
    this.state = 'done';
    if (this.endTimer) clearTimeout(this.endTimer);
    this.queued = [];
    // Done only once the process is gone and its FIFO deleted: nothing outlives the stream.
    const removed = this.launched.then(() => this.fifo?.remove());
    Promise.all([removed, this.exited]).then(
      () => this.resolveFinished(),
      () => this.resolveFinished(),
    );
  }
}
