// One recogniser process fed one stream's gated audio: it starts with the first piece it is given,
// writes speech and closing silence into the process's FIFO (queued while the model loads), and
// maps the times the recogniser prints (on the clock of what it was fed) back to the stream's own
// clock. A stream has one of these per decoder setting it has used (pocketsphinx.ts).
import { messageOf } from '../errors.js';
import type { AsrResult } from '../provider.js';
import type { GateOutput } from '../speech-gate.js';
import { resultOf, SphinxOutputParser } from './pocketsphinx-output.js';
import { SphinxProcess, type SphinxCommand, type WarmSphinxPool } from './sphinx-process.js';

/** Silence that fills the recogniser's own end-of-utterance window (sphinx-process.ts: 20 frames). */
const CLOSING_SILENCE_MS = 400;
/** No output for this long after some: the utterance printed is complete (pocketsphinx-output.ts). */
const OUTPUT_QUIET_MS = 50;
/** pocketsphinx_continuous reads its input 2048 samples at a time and waits for a whole read. */
const READ_SAMPLES = 2048;

export type DecoderFailure = 'TRANSCRIPTION_PROVIDER_UNAVAILABLE' | 'TRANSCRIPTION_PROVIDER_FAILED';

export interface DecoderHooks {
  /** One utterance decoded, timed on the stream's clock; null when the recogniser heard no words. */
  utterance(result: AsrResult | null): void;
  failed(code: DecoderFailure, detail: string): void;
  /** The process is gone after `end()` (or was never needed). */
  closed(): void;
}

export interface DecoderOptions {
  cmd: SphinxCommand;
  sampleRate: number;
  language: string;
  /** A JSGF grammar (speech menus) instead of the dictation language model. */
  grammar: string | null;
  /** Where a dictation process comes from when one is in stock. */
  warm: WarmSphinxPool | null;
}

type DecoderState = 'idle' | 'starting' | 'running' | 'ending' | 'done';

export class SphinxDecoder {
  private state: DecoderState = 'idle';
  private proc: SphinxProcess | null = null;
  private launched: Promise<void> | null = null;
  private queued: Int16Array[] = [];
  private quietTimer: NodeJS.Timeout | null = null;
  private readonly parser: SphinxOutputParser;
  /** Samples written to the process, and where each run of them sits on the stream's clock. */
  private fed = 0;
  private readonly pieces: { fed: number; real: number; gap: boolean }[] = [];
  /** Took its process from the warm stock: the stock is topped up once this one is done. */
  private tookWarm = false;

  constructor(
    private readonly options: DecoderOptions,
    private readonly hooks: DecoderHooks,
  ) {
    this.parser = new SphinxOutputParser((utterance) => {
      const result = resultOf(utterance, options.language);
      this.hooks.utterance(
        result && { ...result, startMs: this.realMs(result.startMs), endMs: this.realMs(result.endMs) },
      );
    });
  }

  /** Starts the process now (a speech menu's recogniser loads while its prompt plays). */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'starting';
    this.launched = this.launch().catch((err: unknown) =>
      this.fail('TRANSCRIPTION_PROVIDER_UNAVAILABLE', messageOf(err)),
    );
  }

  private async launch(): Promise<void> {
    const { cmd, sampleRate, grammar, warm } = this.options;
    this.tookWarm = Boolean(warm && !grammar);
    const proc = warm && !grammar ? await warm.take() : await SphinxProcess.spawn(cmd, sampleRate, grammar);
    this.proc = proc;
    if (this.state === 'done') {
      // Stopped while starting.
      await proc.dispose();
      return;
    }
    proc.onStdout((chunk) => {
      this.parser.push(chunk);
      // pocketsphinx_continuous prints an utterance in one flush: quiet after it means complete.
      if (this.quietTimer) clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => this.parser.quiet(), OUTPUT_QUIET_MS);
      this.quietTimer.unref();
    });
    proc.onError((err: NodeJS.ErrnoException) => {
      const hint =
        err.code === 'ENOENT'
          ? `${cmd.command} not found: install the Debian packages pocketsphinx and pocketsphinx-en-us`
          : err.message;
      this.fail('TRANSCRIPTION_PROVIDER_UNAVAILABLE', hint);
    });
    proc.onClose((code, signal) => this.onClose(code, signal));
    const ending = this.state === 'ending';
    this.state = 'running';
    for (const pcm of this.queued) this.send(pcm);
    this.queued = [];
    if (ending) this.end();
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    this.parser.end();
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.state === 'done') return;
    if (this.state !== 'ending') {
      this.fail('TRANSCRIPTION_PROVIDER_FAILED', `exited (${signal ?? code}): ${this.lastError()}`);
      return;
    }
    if (code !== 0 && !signal) {
      this.fail('TRANSCRIPTION_PROVIDER_FAILED', `exited with ${code}: ${this.lastError()}`);
      return;
    }
    this.state = 'done';
    this.hooks.closed();
  }

  private lastError(): string {
    const tail = this.proc?.stderrTail ?? '';
    const lines = tail.split('\n').filter((l) => /ERROR|FATAL/.test(l));
    return (lines.slice(-2).join(' ') || tail.slice(-300)).trim() || 'no message';
  }

  /** A piece from the speech gate: speech as it is, a pause as closing silence. */
  feed(piece: GateOutput): void {
    if (this.state === 'done' || this.state === 'ending') return;
    this.start();
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

  private send(pcm: Int16Array): void {
    this.proc!.fifo.writer.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
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

  /** No more audio: the process decodes what it has, prints it and exits (then `closed`). */
  end(): void {
    if (this.state === 'idle') {
      this.state = 'done';
      this.hooks.closed();
      return;
    }
    if (this.state === 'starting') {
      this.state = 'ending';
      return;
    }
    if (this.state !== 'running') return;
    this.state = 'ending';
    this.proc!.fifo.writer.end();
  }

  /** Closed, failed or killed: no more results or hooks. */
  get closed(): boolean {
    return this.state === 'done';
  }

  /** Stops the process at once (if still running); no more results or hooks. */
  kill(): void {
    if (this.tookWarm) {
      // The stream is done with it: a replacement loads now, in place of the decoding that stopped.
      this.tookWarm = false;
      this.options.warm?.replenish();
    }
    this.state = 'done';
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.queued = [];
    this.proc?.kill();
  }

  private fail(code: DecoderFailure, detail: string): void {
    if (this.state === 'done') return;
    this.kill();
    this.hooks.failed(code, detail);
  }

  /** Resolves once the process is gone and its FIFO deleted: nothing outlives the stream. */
  async gone(): Promise<void> {
    await this.launched;
    await this.proc?.exited;
    await this.proc?.fifo.remove();
  }
}
