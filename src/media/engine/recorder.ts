// Recording what a channel hears, or everything in a bridge, to a file, on the media clock:
// WAV (8 or 16 kHz PCM16), raw µ-law/A-law, raw signed linear. Stops on max duration, on max
// silence once something was heard, on a terminating DTMF digit, or when asked; pause skips
// time, mute writes silence. A beep first, when asked.
import { mkdirSync, openSync, closeSync, writeSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { encodeAlaw, encodeUlaw, WavFileWriter } from '../codecs/index.js';
import type { MediaEngineEvent, RecordingOptions } from './contract.js';
import { averageMagnitude, FrameConverter, frameSamples } from './frames.js';
import { FRAME_MS } from './media-clock.js';

/** Average magnitude below which a frame is silence (Asterisk's default silence threshold). */
const SILENCE_THRESHOLD = 256;

interface FileSink {
  write(bytes: Uint8Array): void;
  close(): void;
}

/** Headerless audio (.ulaw, .alaw, .sln), written about once a second like WavFileWriter. */
class RawFileSink implements FileSink {
  private fd: number | null;
  private readonly pending = Buffer.alloc(16384);
  private pendingBytes = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  write(bytes: Uint8Array): void {
    if (this.fd === null) return;
    if (this.pendingBytes + bytes.length > this.pending.length) this.flush();
    this.pending.set(bytes, this.pendingBytes);
    this.pendingBytes += bytes.length;
  }

  private flush(): void {
    if (this.fd === null || this.pendingBytes === 0) return;
    writeSync(this.fd, this.pending, 0, this.pendingBytes);
    this.pendingBytes = 0;
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
  }
}

export type RecorderState = 'beeping' | 'recording' | 'paused' | 'finished';

export class Recorder {
  state: RecorderState;
  private sink: FileSink | null = null;
  private muted = false;
  private durationMs = 0;
  private talkingMs = 0;
  private silenceMs = 0;
  private quietRunMs = 0;
  private heardSomething = false;
  private readonly converter = new FrameConverter();
  private readonly rate: number;
  private readonly silence: Int16Array;
  private readonly bytes: Uint8Array;

  constructor(
    readonly id: string,
    private readonly options: RecordingOptions,
    private readonly emit: (event: MediaEngineEvent) => void,
  ) {
    this.rate = options.format === 'wav16' || options.format === 'sln16' ? 16000 : 8000;
    this.silence = new Int16Array(frameSamples(this.rate));
    this.bytes = new Uint8Array(frameSamples(this.rate) * 2);
    this.state = options.beep ? 'beeping' : 'recording';
  }

  /** Opens the file; false (and a 'failed' event) when it cannot. */
  open(): boolean {
    const { path: file, format } = this.options;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      this.sink =
        format === 'wav' || format === 'wav16'
          ? new WavFileWriter(file, 'pcm16', this.rate)
          : new RawFileSink(file);
    } catch (err) {
      this.finish('failed', `cannot write ${file}: ${(err as Error).message}`);
      return false;
    }
    if (this.state === 'recording') this.report('recording');
    return true;
  }

  /** The beep has been played: recording starts now. */
  beepDone(): void {
    if (this.state !== 'beeping') return;
    this.state = 'recording';
    this.report('recording');
  }

  /** One tick's audio of the target (null = nothing heard: silence). */
  frame(frame: Int16Array | null): void {
    if (this.state !== 'recording' || !this.sink) return;
    const pcm = frame ? this.converter.convert(frame, this.silence.length) : this.silence;
    const loud = frame !== null && averageMagnitude(pcm) >= SILENCE_THRESHOLD;
    this.write(this.muted ? this.silence : pcm);
    this.durationMs += FRAME_MS;
    if (loud && !this.muted) {
      this.talkingMs += FRAME_MS;
      this.quietRunMs = 0;
      this.heardSomething = true;
    } else {
      this.silenceMs += FRAME_MS;
      this.quietRunMs += FRAME_MS;
    }
    const { maxDurationMs, maxSilenceMs } = this.options;
    if (maxDurationMs && this.durationMs >= maxDurationMs) this.finish('done', 'max-duration');
    else if (maxSilenceMs && this.heardSomething && this.quietRunMs >= maxSilenceMs)
      this.finish('done', 'max-silence');
  }

  private write(pcm: Int16Array): void {
    const format = this.options.format;
    let length: number;
    if (format === 'ulaw') length = encodeUlaw(pcm, this.bytes);
    else if (format === 'alaw') length = encodeAlaw(pcm, this.bytes);
    else {
      for (let i = 0; i < pcm.length; i++) {
        this.bytes[2 * i] = pcm[i]! & 0xff;
        this.bytes[2 * i + 1] = (pcm[i]! >> 8) & 0xff;
      }
      length = pcm.length * 2;
    }
    this.sink!.write(this.bytes.subarray(0, length));
  }

  /** A DTMF digit on the target: stops the recording if it is a terminating digit. */
  dtmf(digit: string): void {
    const on = this.options.terminateOn;
    if (!on || on === 'none' || this.state === 'finished') return;
    if (on === 'any' || on.includes(digit)) this.finish('done', 'dtmf');
  }

  pause(): void {
    if (this.state !== 'recording') return;
    this.state = 'paused';
    this.report('paused');
  }

  unpause(): void {
    if (this.state !== 'paused') return;
    this.state = 'recording';
    this.report('recording');
  }

  mute(muted: boolean): void {
    this.muted = muted;
  }

  /** Ends it: 'done' keeps the file, 'cancelled' deletes it, 'failed' says why in `cause`. */
  finish(state: 'done' | 'cancelled' | 'failed', cause: string): void {
    if (this.state === 'finished') return;
    this.state = 'finished';
    try {
      this.sink?.close();
      if (state === 'cancelled' && this.sink) unlinkSync(this.options.path);
    } catch {
      // The file is gone already; nothing more to do.
    }
    this.sink = null;
    this.report(state, cause);
  }

  get finished(): boolean {
    return this.state === 'finished';
  }

  private report(state: 'recording' | 'paused' | 'done' | 'failed' | 'cancelled', cause?: string): void {
    this.emit({
      type: 'recording',
      recording: this.id,
      state,
      durationMs: this.durationMs,
      talkingMs: this.talkingMs,
      silenceMs: this.silenceMs,
      ...(cause ? { cause } : {}),
    });
  }
}
