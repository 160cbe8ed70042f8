// Google Cloud Speech-to-Text streaming recognition (@google-cloud/speech v1, the official client
// library): LINEAR16 at the leg's rate, interim results, word times, the call's language.
//
// Google ends a stream after about five minutes of audio, so a stream is replaced before
// `maxStreamMs`: the new one first gets the audio since the last final result (kept here), then
// the live audio, and results of the old one are no longer listened to. Words spoken across the
// seam are recognised once, by the new stream, and times stay relative to the first sample.
import * as grpc from '@grpc/grpc-js';
import { v1 } from '@google-cloud/speech';
import { TranscriptionError, messageOf } from '../errors.js';
import type { AsrListener, AsrProvider, AsrStream, AsrStreamOptions, SampleRate } from '../provider.js';
import { samplesToMs } from '../provider.js';

export interface GoogleSettings {
  keyFile?: string;
  projectId?: string;
  apiEndpoint?: string;
  port?: number;
  /** Plain gRPC (a local endpoint or proxy), no TLS and no Google credentials. */
  insecure?: boolean;
  model?: string;
  punctuation?: boolean;
  /** A stream is replaced after this much audio. */
  maxStreamMs: number;
  /** Explicit service-account credentials (instead of keyFile or Application Default Credentials). */
  credentials?: { client_email: string; private_key: string };
  /** How long `end()` waits for the last results. */
  endTimeoutMs?: number;
}

type SpeechClient = InstanceType<typeof v1.SpeechClient>;
type RecognizeStream = ReturnType<SpeechClient['streamingRecognize']>;

interface Duration {
  seconds?: number | string | null;
  nanos?: number | null;
}
interface GoogleResult {
  alternatives?:
    | {
        transcript?: string | null;
        confidence?: number | null;
        words?: { startTime?: Duration | null }[] | null;
      }[]
    | null;
  isFinal?: boolean | null;
  resultEndTime?: Duration | null;
  languageCode?: string | null;
}

const toMs = (d: Duration | null | undefined): number =>
  d ? Number(d.seconds ?? 0) * 1000 + Math.round(Number(d.nanos ?? 0) / 1e6) : 0;

export class GoogleProvider implements AsrProvider {
  readonly name = 'google';
  private client: SpeechClient | null = null;

  constructor(private readonly settings: GoogleSettings) {}

  supports(): boolean {
    // Google recognises 120+ languages; a tag it does not know fails the stream with a clear error.
    return true;
  }

  inputRate(sampleRate: SampleRate): SampleRate {
    return sampleRate;
  }

  /** The client, made once: it holds the gRPC channel all streams share. */
  speechClient(): SpeechClient {
    if (this.client) return this.client;
    const s = this.settings;
    this.client = new v1.SpeechClient({
      ...(s.apiEndpoint ? { apiEndpoint: s.apiEndpoint } : {}),
      ...(s.port ? { port: s.port } : {}),
      ...(s.insecure ? { sslCreds: grpc.credentials.createInsecure() } : {}),
      ...(s.keyFile ? { keyFilename: s.keyFile } : {}),
      ...(s.credentials ? { credentials: s.credentials } : {}),
      ...(s.projectId ? { projectId: s.projectId } : {}),
    });
    return this.client;
  }

  start(options: AsrStreamOptions, listener: AsrListener): AsrStream {
    return new GoogleStream(this, this.settings, options, listener);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.close();
  }
}

interface Chunk {
  startMs: number;
  pcm: Int16Array;
}

class GoogleStream implements AsrStream {
  private current: RecognizeStream | null = null;
  /** Audio position (ms from the first sample) where the current gRPC stream's audio starts. */
  private streamStartMs = 0;
  private samples = 0;
  private lastFinalEndMs = 0;
  /** Audio since the last final result, resent to the next stream at a rotation. */
  private replay: Chunk[] = [];
  private done = false;
  private ending = false;
  private rotations = 0;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;

  constructor(
    private readonly provider: GoogleProvider,
    private readonly settings: GoogleSettings,
    private readonly options: AsrStreamOptions,
    private readonly listener: AsrListener,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.open();
  }

  private get positionMs(): number {
    return samplesToMs(this.samples, this.options.sampleRate);
  }

  private open(): RecognizeStream | null {
    let stream: RecognizeStream;
    try {
      stream = this.provider.speechClient().streamingRecognize({
        config: {
          encoding: 'LINEAR16',
          sampleRateHertz: this.options.sampleRate,
          languageCode: this.options.language,
          enableWordTimeOffsets: true,
          enableAutomaticPunctuation: this.settings.punctuation ?? true,
          ...(this.settings.model ? { model: this.settings.model } : {}),
          ...(this.options.phrases?.length ? { speechContexts: [{ phrases: this.options.phrases }] } : {}),
        },
        interimResults: true,
      });
    } catch (err) {
      queueMicrotask(() => this.fail('TRANSCRIPTION_PROVIDER_UNAVAILABLE', messageOf(err)));
      return null;
    }
    this.current = stream;
    const offset = this.streamStartMs;
    stream.on('data', (response: { results?: GoogleResult[] | null }) => {
      if (stream === this.current) this.onResults(response.results ?? [], offset);
    });
    stream.on('error', (err: Error & { code?: number; details?: string }) => {
      if (stream !== this.current) return;
      const status = typeof err.code === 'number' ? (grpc.status[err.code] ?? String(err.code)) : 'ERROR';
      const code =
        status === 'UNAVAILABLE' ? 'TRANSCRIPTION_PROVIDER_UNAVAILABLE' : 'TRANSCRIPTION_PROVIDER_FAILED';
      this.fail(code, `${status}: ${err.details || err.message}`);
    });
    const closed = () => {
      if (stream === this.current && this.ending) this.finish();
    };
    stream.on('end', closed);
    stream.on('close', closed);
    return stream;
  }

  private onResults(results: GoogleResult[], offset: number): void {
    if (this.done) return;
    const interim: string[] = [];
    let interimEndMs = this.lastFinalEndMs;
    for (const result of results) {
      const best = result.alternatives?.[0];
      const text = (best?.transcript ?? '').trim();
      const endMs = offset + toMs(result.resultEndTime);
      if (!result.isFinal) {
        if (text) interim.push(text);
        interimEndMs = Math.max(interimEndMs, endMs);
        continue;
      }
      const firstWord = best?.words?.[0]?.startTime;
      const startMs = firstWord ? offset + toMs(firstWord) : this.lastFinalEndMs;
      this.lastFinalEndMs = Math.max(this.lastFinalEndMs, endMs);
      this.trimReplay();
      if (!text) continue;
      this.listener.result({
        text,
        startMs: Math.min(startMs, endMs),
        endMs,
        // float32 on the wire: 0.87 arrives as 0.8700000047683716.
        confidence:
          typeof best?.confidence === 'number' && best.confidence > 0
            ? Math.round(best.confidence * 1000) / 1000
            : null,
        final: true,
        language: result.languageCode || this.options.language,
      });
    }
    if (interim.length)
      this.listener.result({
        text: interim.join(' '),
        startMs: this.lastFinalEndMs,
        endMs: interimEndMs,
        confidence: null,
        final: false,
        language: this.options.language,
      });
  }

  /** Drops audio the last final result covered, cutting inside a chunk where it ends. */
  private trimReplay(): void {
    const rate = this.options.sampleRate;
    while (this.replay.length) {
      const first = this.replay[0]!;
      const endMs = first.startMs + samplesToMs(first.pcm.length, rate);
      if (endMs <= this.lastFinalEndMs) {
        this.replay.shift();
        continue;
      }
      if (first.startMs < this.lastFinalEndMs) {
        const cut = Math.round(((this.lastFinalEndMs - first.startMs) * rate) / 1000);
        this.replay[0] = { startMs: this.lastFinalEndMs, pcm: first.pcm.subarray(cut) };
      }
      return;
    }
  }

  /** A new gRPC stream that starts with the audio no final result has covered yet. */
  private rotate(): void {
    const old = this.current;
    this.current = null;
    if (old) {
      old.removeAllListeners('data');
      old.on('error', () => undefined);
      old.end();
    }
    this.trimReplay();
    this.streamStartMs = this.replay[0]?.startMs ?? this.positionMs;
    this.rotations++;
    const next = this.open();
    for (const chunk of this.replay)
      next?.write(Buffer.from(chunk.pcm.buffer, chunk.pcm.byteOffset, chunk.pcm.byteLength));
  }

  /** How many times the stream was replaced (for logs and tests). */
  get rotationCount(): number {
    return this.rotations;
  }

  write(pcm: Int16Array): void {
    if (this.done || this.ending || !this.current) return;
    const chunkMs = samplesToMs(pcm.length, this.options.sampleRate);
    if (this.positionMs + chunkMs - this.streamStartMs > this.settings.maxStreamMs) this.rotate();
    this.replay.push({ startMs: this.positionMs, pcm });
    this.samples += pcm.length;
    // Bounded: a long stretch without a final result is silence or noise, not words to resend.
    const keepMs = Math.min(this.settings.maxStreamMs / 2, 30_000);
    while (this.replay.length > 1 && this.positionMs - this.replay[0]!.startMs > keepMs) this.replay.shift();
    this.current?.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  }

  end(): Promise<void> {
    if (this.done || this.ending) return this.finished;
    this.ending = true;
    if (!this.current) {
      this.finish();
      return this.finished;
    }
    this.current.end();
    const timer = setTimeout(() => this.abort(), this.settings.endTimeoutMs ?? 10_000);
    timer.unref();
    void this.finished.then(() => clearTimeout(timer));
    return this.finished;
  }

  abort(): void {
    if (this.done) return;
    const stream = this.current;
    this.current = null;
    stream?.on('error', () => undefined);
    stream?.destroy();
    this.finish();
  }

  private fail(
    code: 'TRANSCRIPTION_PROVIDER_UNAVAILABLE' | 'TRANSCRIPTION_PROVIDER_FAILED',
    detail: string,
  ): void {
    if (this.done) return;
    this.listener.error(new TranscriptionError(code, 'google', detail));
    this.abort();
  }

  private finish(): void {
    this.done = true;
    this.replay = [];
    this.resolveFinished();
  }
}
