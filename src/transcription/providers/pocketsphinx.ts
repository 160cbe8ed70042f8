// The embedded, offline recogniser: Debian's `pocketsphinx_continuous` with its US English model
// (packages pocketsphinx, pocketsphinx-en-us), one process per stream, started at the stream's
// first speech (from a stock of warm ones when configured: sphinx-process.ts). Audio streams into it
// through a FIFO, through a speech gate: only stretches of speech go in, and when the speaker has
// paused for `vadPostspeechMs` a short run of digital silence follows, on which the recogniser's
// own voice-activity detector closes the utterance and prints the hypothesis with word times at
// once. So segments come out as the speaker pauses, timed on the stream's own clock. With
// `phrases` it decodes against a JSGF grammar of just those phrases (speech menus) instead of the
// dictation language model. Dictation utterances pass a capacity control first
// (utterance-admission.ts), and when many are being decoded at once a new one goes to a recogniser
// with cheaper decoder settings (`underLoad`): the default settings cost 0.22 CPU-seconds per
// second of speech, so a busy machine would otherwise fall behind on every call at once.
//
// Its model is 16 kHz only: 8 kHz (G.711) audio is upsampled first and recognised badly (about
// 96% word errors on real 8 kHz recordings, 34–41% on the same at 16 kHz; docs/transcription.md).
// No results until the speaker pauses: it gives finals only, no interim results.
import { readFile } from 'node:fs/promises';
import { TranscriptionError } from '../errors.js';
import type { AsrListener, AsrProvider, AsrStream, AsrStreamOptions, SampleRate } from '../provider.js';
import { languageMatches } from '../provider.js';
import { SpeechGate, type GateOutput } from '../speech-gate.js';
import { SphinxDecoder, type DecoderFailure } from './sphinx-decoder.js';
import { WarmSphinxPool, type SphinxCommand } from './sphinx-process.js';
import { DecodeSlots, UtteranceAdmission } from './utterance-admission.js';

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
  /** Decoder options for dictation only ([]: pocketsphinx's own, the most accurate). */
  dictationArgs?: string[];
  /**
   * Cheaper dictation settings for busy times: an utterance that starts while more than
   * `aboveStreams` dictation streams are open is decoded with `args` instead of `dictationArgs`
   * (0: never). Open streams, not utterances in flight: when twenty calls connect together, their
   * first utterances start before any is in flight, and would all get the dear settings.
   */
  underLoad?: { aboveStreams: number; args: string[] };
  /**
   * Dictation recognisers kept started, their model loaded, for the next streams (with the
   * under-load settings when those are on: bursts of calls are when a stream needs one at once).
   */
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
  /** The command of each decoder setting a dictation utterance can get. */
  private readonly standard: SphinxCommand;
  private readonly underLoad: SphinxCommand | null;
  /** Dictation utterances decoded with each setting so far (the bench and the logs read it). */
  readonly decoded = { standard: 0, underLoad: 0 };
  /** Dictation streams started and not yet finished: the load the decoder settings follow. */
  private openStreams = 0;

  constructor(private readonly settings: PocketsphinxSettings) {
    this.slots = new DecodeSlots(settings.maxUtterances ?? 0);
    this.standard = settings;
    const cheaper = settings.underLoad;
    this.underLoad =
      cheaper && cheaper.aboveStreams > 0 && cheaper.args.length
        ? { ...settings, dictationArgs: cheaper.args }
        : null;
    this.warm = new WarmSphinxPool(this.underLoad ?? this.standard, 16000, settings.warmProcesses ?? 0);
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
    if (options.phrases?.length)
      return new PocketsphinxStream(this.settings, options, listener, null, true, () => ({
        tier: 'standard',
        cmd: this.standard,
        grammar: jsgfGrammar(options.phrases!),
        warm: null,
      }));
    const wideband = options.sampleRate === 16000;
    this.openStreams++;
    const underLoad = this.underLoad;
    const busyNow = () => underLoad !== null && this.openStreams > this.settings.underLoad!.aboveStreams;
    // Under load a party's recogniser starts loading as the call connects, not at their first
    // words: the model load then overlaps the seconds before anyone speaks instead of delaying
    // their first segment on a machine with no core to spare.
    const startNow = busyNow();
    const stream = new PocketsphinxStream(
      this.settings,
      options,
      listener,
      this.slots,
      startNow,
      (utterance) => {
        // For an utterance: called as it takes its decoding slot, nothing of its stream being decoded.
        const busy = busyNow();
        if (utterance) this.decoded[busy ? 'underLoad' : 'standard']++;
        return busy && underLoad
          ? { tier: 'underLoad', cmd: underLoad, grammar: null, warm: wideband ? this.warm : null }
          : {
              tier: 'standard',
              cmd: this.standard,
              grammar: null,
              warm: wideband && !this.underLoad ? this.warm : null,
            };
      },
    );
    void stream.done.then(() => this.openStreams--);
    return stream;
  }

  /** Starts the stock of warm recognisers; resolves when their models are loaded. */
  warmUp(): Promise<void> {
    return this.warm.warmUp();
  }

  async close(): Promise<void> {
    await this.warm.close();
  }
}

type Tier = 'standard' | 'underLoad';

/** Which recogniser an utterance goes to: its decoder settings and where its process comes from. */
interface DecoderChoice {
  tier: Tier;
  cmd: SphinxCommand;
  grammar: string | null;
  warm: WarmSphinxPool | null;
}

type StreamState = 'open' | 'ending' | 'done';

class PocketsphinxStream implements AsrStream {
  private state: StreamState = 'open';
  private readonly decoders = new Map<Tier, SphinxDecoder>();
  /** The recogniser the utterance in progress (and any still decoding) goes to. */
  private current: SphinxDecoder | null = null;
  /** Nothing of this stream is being decoded: the next utterance's recogniser is chosen afresh. */
  private choose = true;
  /** The decoder settings of the last utterance (consoles are told when they change). */
  private tier: Tier | null = null;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;
  /** Resolves when the stream has ended, been aborted or failed (its processes may still exit). */
  readonly done: Promise<void>;
  private markDone!: () => void;
  private endTimer: NodeJS.Timeout | null = null;
  private silenced = false;
  private readonly gate: SpeechGate;
  private readonly admission: UtteranceAdmission | null;

  constructor(
    private readonly settings: PocketsphinxSettings,
    private readonly options: AsrStreamOptions,
    private readonly listener: AsrListener,
    slots: DecodeSlots | null,
    startNow: boolean,
    /** The recogniser to use now: for an utterance, or (false) to start one before any speech. */
    private readonly chooseDecoder: (utterance: boolean) => DecoderChoice,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.done = new Promise((resolve) => (this.markDone = resolve));
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
        acquired: () => (this.choose = true),
      });
    // A speech menu listens from the start: its recogniser is loading while the prompt plays.
    if (startNow) this.decoderFor(this.chooseDecoder(false)).start();
  }

  /** The recogniser for the next piece: the current one, or the one chosen for a new utterance. */
  private decoderNow(): SphinxDecoder {
    if (this.current && !this.choose) return this.current;
    this.choose = false;
    const choice = this.chooseDecoder(true);
    // Said when a party first gets the cheaper settings, and at each change after that.
    if (choice.tier !== (this.tier ?? 'standard') && !this.options.phrases?.length)
      this.listener.decoder?.({
        decoder: choice.tier,
        reason: choice.tier === 'underLoad' ? 'many calls being transcribed' : 'load back to normal',
      });
    this.tier = choice.tier;
    this.current = this.decoderFor(choice);
    return this.current;
  }

  private decoderFor(choice: DecoderChoice): SphinxDecoder {
    let decoder = this.decoders.get(choice.tier);
    if (!decoder) {
      decoder = new SphinxDecoder(
        {
          cmd: choice.cmd,
          sampleRate: this.options.sampleRate,
          language: this.settings.language,
          grammar: choice.grammar,
          warm: choice.warm,
        },
        {
          utterance: (result) => {
            this.admission?.resolved();
            if (result && !this.silenced) this.listener.result(result);
          },
          failed: (code, detail) => this.fail(code, detail),
          closed: () => this.decoderClosed(),
        },
      );
      this.decoders.set(choice.tier, decoder);
    }
    return decoder;
  }

  write(pcm: Int16Array): void {
    if (this.state !== 'open') return;
    for (const piece of this.gate.push(pcm)) this.admit(piece);
  }

  private admit(piece: GateOutput): void {
    if (this.admission) this.admission.push(piece);
    else this.feed(piece);
  }

  private feed(piece: GateOutput): void {
    if (this.state === 'done') return;
    this.decoderNow().feed(piece);
  }

  end(): Promise<void> {
    if (this.state !== 'open') return this.finished;
    for (const piece of this.gate.flush()) this.admit(piece);
    this.admission?.close();
    this.state = 'ending';
    // Never spoke: no recogniser was started, nothing to wait for.
    if (!this.decoders.size) {
      this.finish();
      return this.finished;
    }
    for (const decoder of this.decoders.values()) decoder.end();
    if (this.state === 'ending') {
      this.endTimer = setTimeout(() => this.kill(), this.settings.endTimeoutMs ?? 10_000);
      this.endTimer.unref();
    }
    return this.finished;
  }

  private decoderClosed(): void {
    if (this.state !== 'ending') return;
    if ([...this.decoders.values()].every((d) => d.closed)) this.finish();
  }

  abort(): void {
    this.silenced = true;
    this.kill();
  }

  private kill(): void {
    if (this.state === 'done') return;
    this.finish();
  }

  private fail(code: DecoderFailure, detail: string): void {
    if (this.state === 'done') return;
    const silenced = this.silenced;
    this.silenced = true;
    if (!silenced) this.listener.error(new TranscriptionError(code, 'pocketsphinx', detail));
    this.finish();
  }

  private finish(): void {
    this.state = 'done';
    this.markDone();
    if (this.endTimer) clearTimeout(this.endTimer);
    this.admission?.close();
    const decoders = [...this.decoders.values()];
    for (const d of decoders) d.kill();
    // Done only once every process is gone and its FIFO deleted: nothing outlives the stream.
    Promise.all(decoders.map((d) => d.gone())).then(
      () => this.resolveFinished(),
      () => this.resolveFinished(),
    );
  }
}
