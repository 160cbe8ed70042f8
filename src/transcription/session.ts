// One call's live transcription: per party, an audio fork into an ASR stream, results turned into
// segments on the call's clock (ms from the call's start), numbered per party, published in order.
// A party's failure (fork refused, recogniser down) is reported and does not stop the other party.
import { streamResampler } from './resampling.js';
import type { Logger } from '../logger.js';
import type { TranscriptionError } from './errors.js';
import { messageOf } from './errors.js';
import { AudioFork, type ForkSettings } from './fork.js';
import type { ForkAri } from './fork-ari.js';
import type { AsrProvider, AsrResult, AsrStream, SampleRate } from './provider.js';
import type { Party, TranscriptSegment } from './segment.js';

export interface SegmentSink {
  publish(segment: TranscriptSegment): Promise<void>;
}

/** Something worth a line in the call's trail (and a live event): errors, fallbacks, starts. */
export type Reporter = (callId: string, type: string, data: Record<string, unknown>) => void;

export interface SessionDeps {
  ari: ForkAri;
  fork: ForkSettings;
  sink: SegmentSink;
  report: Reporter;
  log: Logger;
}

export interface CallToTranscribe {
  callId: string;
  /** Wall-clock ms (epoch) the call started: segment times count from here. */
  startedAt: number;
  language: string;
  provider: AsrProvider;
  parties: { party: Party; channelId: string }[];
}

class PartyTranscription {
  private fork: AudioFork | null = null;
  private stream: AsrStream | null = null;
  private convert: ((pcm: Int16Array) => Int16Array) | null = null;
  private offsetMs = 0;
  private seq = 0;
  private publishing: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly deps: SessionDeps,
    private readonly call: CallToTranscribe,
    readonly party: Party,
    private readonly channelId: string,
  ) {}

  async start(): Promise<void> {
    const { callId } = this.call;
    try {
      this.fork = await AudioFork.start(
        this.deps.ari,
        { callId, party: this.party, channelId: this.channelId },
        this.deps.fork,
        this.deps.log,
        () => void this.stop(),
      );
    } catch (err) {
      this.deps.report(callId, 'transcription.failed', { party: this.party, ...errorData(err) });
      return;
    }
    if (this.stopping) return void (await this.fork.stop());
    this.fork.receiver.onAudio((pcm, rate) => this.onAudio(pcm, rate));
    this.deps.report(callId, 'transcription.started', {
      party: this.party,
      format: this.fork.format,
      leg: this.fork.leg,
      provider: this.call.provider.name,
      language: this.call.language,
      ...accuracyNote(this.call.provider.name, this.fork.leg, this.fork.format),
    });
  }

  private onAudio(pcm: Int16Array, rate: SampleRate): void {
    if (!this.stream) {
      const provider = this.call.provider;
      const inputRate = provider.inputRate(rate);
      this.convert = streamResampler(rate, inputRate);
      this.offsetMs = Math.max(0, Date.now() - this.call.startedAt);
      this.stream = provider.start(
        { language: this.call.language, sampleRate: inputRate, label: `${this.call.callId}/${this.party}` },
        {
          result: (r) => this.onResult(r),
          error: (e) => this.onError(e),
          warning: (e, detail) =>
            this.deps.report(this.call.callId, 'transcription.fallback', {
              party: this.party,
              ...errorData(e),
              ...detail,
            }),
          behind: (detail) =>
            this.deps.report(this.call.callId, 'transcription.behind', { party: this.party, ...detail }),
          decoder: (detail) =>
            this.deps.report(this.call.callId, 'transcription.decoder', { party: this.party, ...detail }),
        },
      );
    }
    this.stream.write(this.convert!(pcm));
  }

  private onResult(r: AsrResult): void {
    const segment: TranscriptSegment = {
      callId: this.call.callId,
      party: this.party,
      startMs: this.offsetMs + r.startMs,
      endMs: this.offsetMs + Math.max(r.startMs, r.endMs),
      text: r.text,
      confidence: r.confidence,
      language: r.language,
      final: r.final,
      // An interim carries the number its final will have, so consoles can replace it.
      seq: r.final ? this.seq++ : this.seq,
      provider: r.provider ?? this.call.provider.name,
    };
    this.publishing = this.publishing
      .then(() => this.deps.sink.publish(segment))
      .catch((err: unknown) =>
        this.deps.log.error({ err, callId: segment.callId }, 'publishing a segment failed'),
      );
  }

  private onError(e: TranscriptionError): void {
    this.deps.report(this.call.callId, 'transcription.error', {
      party: this.party,
      provider: this.call.provider.name,
      ...errorData(e),
    });
  }

  /** Stops the fork, lets the recogniser finish what it heard, waits until it is published. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.fork?.stop();
      if (this.fork)
        this.deps.log.debug(
          { callId: this.call.callId, party: this.party, rtp: this.fork.receiver.stats, segments: this.seq },
          'audio fork stopped',
        );
      await this.stream?.end();
      await this.publishing;
    })();
    return this.stopping;
  }
}

/**
 * What a console should tell a supervisor about this party's transcript: the offline recogniser
 * is poor on 8 kHz G.711 audio (docs/transcription.md; about 96% word errors measured).
 */
export function accuracyNote(provider: string, leg: string, format: string): { accuracy?: string } {
  if (provider !== 'pocketsphinx') return {};
  if (leg === 'narrowband' || (leg === 'unknown' && format === 'ulaw'))
    return { accuracy: 'poor: 8 kHz telephone audio with the offline recogniser (most words wrong)' };
  if (leg === 'wideband')
    return { accuracy: 'rough: wideband audio with the offline recogniser (about 1 word in 3 wrong)' };
  return { accuracy: 'poor on 8 kHz (G.711) legs, rough on wideband legs (offline recogniser)' };
}

function errorData(err: unknown): Record<string, unknown> {
  const code = (err as { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : 'TRANSCRIPTION_FAILED', message: messageOf(err) };
}

export class CallTranscription {
  private readonly parties: PartyTranscription[];
  private started: Promise<void> | null = null;

  constructor(
    deps: SessionDeps,
    readonly call: CallToTranscribe,
  ) {
    this.parties = call.parties.map((p) => new PartyTranscription(deps, call, p.party, p.channelId));
  }

  start(): Promise<void> {
    this.started ??= Promise.all(this.parties.map((p) => p.start())).then(() => undefined);
    return this.started;
  }

  /** Everything torn down and every final segment published. */
  async stop(): Promise<void> {
    await Promise.all(this.parties.map((p) => p.stop()));
    await this.started;
  }
}
