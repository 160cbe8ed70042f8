// Self-hosted recognisers over WebSocket with Vosk-server's JSON protocol, which Vosk, sherpa-onnx
// and several Whisper bridges speak: the client sends `{"config": {"sample_rate": N, ...}}`, then
// binary 16-bit little-endian PCM, then `{"eof" : 1}`; the server answers each audio message
// with `{"partial": "..."}` or, when it closes an utterance, `{"text": "...", "result": [{word,
// start, end, conf}, ...]}`, and after eof the last result, then closes. One connection per stream;
// one server per language (`transcription.websocket.servers`).
import WebSocket from 'ws';
import { TranscriptionError, messageOf } from '../errors.js';
import type { AsrListener, AsrProvider, AsrStream, AsrStreamOptions, SampleRate } from '../provider.js';
import { languageMatches, samplesToMs } from '../provider.js';

export interface WebsocketSettings {
  /** Language (BCP 47) → ws:// URL of the server that recognises it. */
  servers: Record<string, string>;
  /** Audio per message. */
  chunkMs: number;
  /** How long `end()` waits for the server's last result and close. */
  endTimeoutMs?: number;
}

interface VoskWord {
  word: string;
  start: number;
  end: number;
  conf?: number;
}
interface VoskMessage {
  partial?: string;
  text?: string;
  result?: VoskWord[];
}

// Vosk-server compares the eof message as a string, spacing included.
const EOF_MESSAGE = '{"eof" : 1}';

export class WebsocketProvider implements AsrProvider {
  readonly name = 'websocket';

  constructor(private readonly settings: WebsocketSettings) {}

  private serverFor(language: string): [string, string] | null {
    const entries = Object.entries(this.settings.servers);
    return (
      entries.find(([lang]) => lang.toLowerCase() === language.toLowerCase()) ??
      entries.find(([lang]) => languageMatches(language, lang)) ??
      null
    );
  }

  supports(language: string): boolean {
    return this.serverFor(language) !== null;
  }

  inputRate(sampleRate: SampleRate): SampleRate {
    return sampleRate;
  }

  start(options: AsrStreamOptions, listener: AsrListener): AsrStream {
    const server = this.serverFor(options.language);
    if (!server) {
      // Reported after start() returns, as every other stream failure is.
      queueMicrotask(() =>
        listener.error(
          new TranscriptionError(
            'TRANSCRIPTION_LANGUAGE_UNSUPPORTED',
            options.language,
            'no server for it in transcription.websocket.servers',
          ),
        ),
      );
      return new VoskStream(null, options, listener, this.settings);
    }
    return new VoskStream(server, options, listener, this.settings);
  }

  async close(): Promise<void> {}
}

class VoskStream implements AsrStream {
  private readonly ws: WebSocket | null;
  private open = false;
  private done = false;
  private ending = false;
  private readonly queue: Buffer[] = [];
  private chunk: Int16Array[] = [];
  private chunkSamples = 0;
  private readonly chunkSize: number;
  /** Samples sent so far: the stream's clock for results without word times. */
  private samples = 0;
  private lastFinalEndMs = 0;
  private lastPartial = '';
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;
  private readonly language: string;

  constructor(
    server: [string, string] | null,
    private readonly options: AsrStreamOptions,
    private readonly listener: AsrListener,
    private readonly settings: WebsocketSettings,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.chunkSize = Math.max(1, Math.round((options.sampleRate * settings.chunkMs) / 1000));
    this.language = server?.[0] ?? options.language;
    if (!server) {
      this.ws = null;
      this.finish();
      return;
    }
    const url = server[1];
    const ws = new WebSocket(url, { handshakeTimeout: 10_000 });
    this.ws = ws;
    ws.on('open', () => {
      this.open = true;
      const config: Record<string, unknown> = { sample_rate: options.sampleRate, words: 1 };
      if (options.phrases?.length) config.phrase_list = options.phrases;
      ws.send(JSON.stringify({ config }));
      for (const data of this.queue.splice(0)) ws.send(data);
      if (this.ending) ws.send(EOF_MESSAGE);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      this.onMessage(bytes.toString('utf8'));
    });
    ws.on('error', (err) => {
      const code = this.open ? 'TRANSCRIPTION_PROVIDER_FAILED' : 'TRANSCRIPTION_PROVIDER_UNAVAILABLE';
      this.fail(code, `${url}: ${messageOf(err)}`);
    });
    ws.on('close', (code, reason) => {
      if (!this.ending)
        this.fail('TRANSCRIPTION_PROVIDER_FAILED', `${url} closed the stream (${code} ${String(reason)})`);
      this.finish();
    });
  }

  private onMessage(text: string): void {
    if (this.done) return;
    let message: VoskMessage;
    try {
      message = JSON.parse(text) as VoskMessage;
    } catch {
      this.fail(
        'TRANSCRIPTION_PROVIDER_FAILED',
        `the server sent something that is not JSON: ${text.slice(0, 80)}`,
      );
      return;
    }
    const nowMs = samplesToMs(this.samples, this.options.sampleRate);
    if (typeof message.partial === 'string') {
      const partial = message.partial.trim();
      if (!partial || partial === this.lastPartial) return;
      this.lastPartial = partial;
      this.listener.result({
        text: partial,
        startMs: this.lastFinalEndMs,
        endMs: Math.max(this.lastFinalEndMs, nowMs),
        confidence: null,
        final: false,
        language: this.language,
      });
      return;
    }
    if (typeof message.text !== 'string') return;
    this.lastPartial = '';
    const finalText = message.text.trim();
    const words = Array.isArray(message.result) ? message.result : [];
    if (!finalText) return;
    const startMs = words.length ? Math.round(words[0]!.start * 1000) : this.lastFinalEndMs;
    const endMs = words.length ? Math.round(words[words.length - 1]!.end * 1000) : nowMs;
    const confs = words.map((w) => w.conf).filter((c): c is number => typeof c === 'number');
    this.lastFinalEndMs = Math.max(this.lastFinalEndMs, endMs);
    this.listener.result({
      text: finalText,
      startMs,
      endMs: Math.max(startMs, endMs),
      confidence: confs.length
        ? Math.round((confs.reduce((a, b) => a + b, 0) / confs.length) * 1000) / 1000
        : null,
      final: true,
      language: this.language,
    });
  }

  private send(data: Buffer): void {
    if (this.open) this.ws!.send(data);
    else this.queue.push(data);
  }

  private flushChunk(): void {
    if (!this.chunkSamples) return;
    const buffer = Buffer.alloc(this.chunkSamples * 2);
    let at = 0;
    for (const pcm of this.chunk) {
      buffer.set(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength), at);
      at += pcm.byteLength;
    }
    this.chunk = [];
    this.chunkSamples = 0;
    this.send(buffer);
  }

  write(pcm: Int16Array): void {
    if (this.done || this.ending) return;
    this.samples += pcm.length;
    this.chunk.push(pcm);
    this.chunkSamples += pcm.length;
    if (this.chunkSamples >= this.chunkSize) this.flushChunk();
  }

  end(): Promise<void> {
    if (this.done || this.ending) return this.finished;
    this.flushChunk();
    this.ending = true;
    if (this.open) this.ws!.send(EOF_MESSAGE);
    const timer = setTimeout(() => this.abort(), this.settings.endTimeoutMs ?? 10_000);
    timer.unref();
    void this.finished.then(() => clearTimeout(timer));
    return this.finished;
  }

  abort(): void {
    this.done = true;
    this.ws?.terminate();
    this.finish();
  }

  private fail(
    code: 'TRANSCRIPTION_PROVIDER_UNAVAILABLE' | 'TRANSCRIPTION_PROVIDER_FAILED',
    detail: string,
  ): void {
    if (this.done) return;
    this.done = true;
    this.listener.error(new TranscriptionError(code, 'websocket', detail));
    this.ws?.terminate();
    this.finish();
  }

  private finish(): void {
    this.done = true;
    this.queue.length = 0;
    this.chunk = [];
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED) this.resolveFinished();
    else this.ws.once('close', () => this.resolveFinished());
  }
}
