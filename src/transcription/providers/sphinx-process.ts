// One `pocketsphinx_continuous` process reading 16-bit PCM from a FIFO, and a small stock of them
// started ahead of need. Loading the English model costs about 0.33 CPU-seconds and 100 MB per
// process with the whole dictionary, 0.22 CPU-seconds and 87 MB with the cut-down one dictation
// uses (measured, docs/BENCHMARKS.md); when twenty calls connect at once, forty loads at the
// first words would hold every first segment back by seconds. Warm processes have loaded their
// model already and wait, blocked on their empty FIFO, costing memory only. Each stream still
// gets a process of its own (the recogniser's cepstral mean adapts to its speaker and line).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dictationDictionaryOnce } from './dictation-dictionary.js';
import { createFifo, type FifoDir } from './fifo.js';

export interface SphinxCommand {
  command: string;
  hmm: string;
  lm: string;
  dict: string;
  /** Options appended after Hotline's own. */
  args: string[];
  /** Options for dictation only (not grammars), appended last. */
  dictationArgs?: string[];
  tempPrefix?: string;
}

/** pocketsphinx_continuous prints this to its log once its model is loaded, before reading audio. */
const READY_LINE = /continuous\.c\(\d+\): pocketsphinx_continuous COMPILED ON/;

export class SphinxProcess {
  private stderr = '';
  private failure: Error | null = null;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private stdoutListener: ((chunk: string) => void) | null = null;
  private readonly errorListeners: ((err: Error) => void)[] = [];
  private readonly closeListeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
  private pendingStdout = '';
  /** Resolves when the model is loaded (or the process is gone). */
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;

  private constructor(
    readonly fifo: FifoDir,
    private readonly child: ChildProcess,
  ) {
    let markReady!: () => void;
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.exited = new Promise((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.stdoutListener) this.stdoutListener(chunk);
      else this.pendingStdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-2000);
      if (READY_LINE.test(this.stderr)) markReady();
    });
    child.once('error', (err) => {
      this.failure = err;
      markReady();
      for (const l of this.errorListeners) l(err);
    });
    child.once('close', (code, signal) => {
      this.exit = { code, signal };
      markReady();
      for (const l of this.closeListeners) l(code, signal);
    });
  }

  /** Starts a recogniser on a new FIFO: dictation with the language model, or a JSGF grammar. */
  static async spawn(cmd: SphinxCommand, sampleRate: number, grammar: string | null): Promise<SphinxProcess> {
    const fifo = await createFifo(cmd.tempPrefix);
    // Dictation reads a copy of the dictionary cut down to the language model's words (same
    // results, a quarter less start-up): dictation-dictionary.ts.
    const dict = grammar ? cmd.dict : await dictationDictionaryOnce(cmd.lm, cmd.dict);
    const model = ['-hmm', cmd.hmm, '-dict', dict];
    try {
      if (grammar) {
        const file = path.join(fifo.dir, 'menu.gram');
        await writeFile(file, grammar);
        model.push('-jsgf', file);
      } else {
        model.push('-lm', cmd.lm);
      }
    } catch (err) {
      await fifo.remove();
      throw err;
    }
    const args = [
      '-infile',
      fifo.fifoPath,
      '-samprate',
      String(sampleRate),
      ...model,
      '-time',
      'yes',
      // The recogniser's own end-of-utterance window, in 10 ms frames: the speech gate in front
      // of it feeds digital silence at each pause, so a short window ends the utterance at once.
      '-vad_postspeech',
      '20',
      ...cmd.args,
      ...(grammar ? [] : (cmd.dictationArgs ?? [])),
    ];
    return new SphinxProcess(fifo, spawn(cmd.command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** What the process prints from now on (and what it printed before anyone listened). */
  onStdout(listener: (chunk: string) => void): void {
    this.stdoutListener = listener;
    if (this.pendingStdout) listener(this.pendingStdout);
    this.pendingStdout = '';
  }

  /** Failed to start (e.g. ENOENT); called at once if it already has. */
  onError(listener: (err: Error) => void): void {
    if (this.failure) queueMicrotask(() => listener(this.failure!));
    else this.errorListeners.push(listener);
  }

  /** Exited; called at once if it already has. */
  onClose(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    if (this.exit) {
      const { code, signal } = this.exit;
      queueMicrotask(() => listener(code, signal));
    } else this.closeListeners.push(listener);
  }

  get alive(): boolean {
    return !this.failure && !this.exit;
  }

  get stderrTail(): string {
    return this.stderr;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** Kills the process and deletes its FIFO folder. */
  async dispose(): Promise<void> {
    if (this.alive) this.kill();
    await this.exited;
    await this.fifo.remove();
  }
}

/** Dictation recognisers with their model loaded, `size` kept in stock. */
export class WarmSphinxPool {
  private readonly idle: SphinxProcess[] = [];
  private filling: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly cmd: SphinxCommand,
    private readonly sampleRate: number,
    private readonly size: number,
  ) {}

  /**
   * A warm process if one is in stock, else a new one. The stock is topped up when a stream that
   * took one ends (`replenish`), not now: at the start of a burst of calls the model loads would
   * compete with the recognisers already decoding; at the end of a call the load takes the place
   * of the decoding that stopped.
   */
  async take(): Promise<SphinxProcess> {
    let proc: SphinxProcess | undefined;
    while ((proc = this.idle.shift()) && !proc.alive) void proc.dispose();
    return proc ?? SphinxProcess.spawn(this.cmd, this.sampleRate, null);
  }

  /** A stream that took a process has ended: start its replacement. */
  replenish(): void {
    void this.refill();
  }

  /** Fills the stock; resolves when every process in it has loaded its model. */
  async warmUp(): Promise<void> {
    await this.refill();
  }

  /**
   * Tops the stock up, one process at a time: a model load takes a core for a third of a second,
   * and a burst of them (twenty calls connecting at once) would take both cores from the
   * recognisers already decoding.
   */
  private refill(): Promise<void> {
    this.filling ??= (async () => {
      while (!this.closed && this.idle.length < this.size) {
        let proc: SphinxProcess;
        try {
          proc = await SphinxProcess.spawn(this.cmd, this.sampleRate, null);
        } catch {
          break;
        }
        await proc.ready;
        if (this.closed || !proc.alive) {
          await proc.dispose();
          break;
        }
        this.idle.push(proc);
      }
      this.filling = null;
    })();
    return this.filling;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.filling;
    await Promise.all(this.idle.splice(0).map((p) => p.dispose()));
  }
}
