// WAV (RIFF WAVE) reading and writing: PCM16 (mono/stereo, any rate) and G.711 (format tags 6
// A-law, 7 µ-law), also inside WAVE_FORMAT_EXTENSIBLE.
//
// Written by hand: the npm WAV libraries (wavefile, wav-decoder) read whole files into
// float or generic sample arrays, and recordings must be written as a stream (append each
// 20 ms, fix the sizes in the header when the recording ends) — see WavFileWriter. The format is
// a header and a few chunks.
import { closeSync, openSync, writeSync } from 'node:fs';
import { decodeAlaw, decodeUlaw } from './g711.js';

export type WavEncoding = 'pcm16' | 'ulaw' | 'alaw';

export interface WavAudio {
  encoding: WavEncoding;
  sampleRate: number;
  channels: number;
  /** The raw bytes of the data chunk (little-endian PCM16, or G.711 bytes). */
  data: Uint8Array;
}

export class WavError extends Error {
  readonly code = 'WAV_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'WavError';
  }
}

const FORMAT_PCM = 1;
const FORMAT_ALAW = 6;
const FORMAT_ULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** Parses a WAV file's bytes. Throws WavError naming what is wrong or unsupported. */
export function readWav(bytes: Uint8Array): WavAudio {
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WAVE')
    throw new WavError('not a WAV file (no RIFF/WAVE header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { tag: number; channels: number; sampleRate: number; bits: number } | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = fourcc(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new WavError('fmt chunk too short');
      let tag = view.getUint16(body, true);
      if (tag === FORMAT_EXTENSIBLE && size >= 40) tag = view.getUint16(body + 24, true);
      fmt = {
        tag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) throw new WavError('data chunk before fmt chunk');
      // Streams written live often leave the size at 0 or too big: take what is there.
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      return { ...describe(fmt), data: bytes.subarray(body, end) };
    }
    at = body + size + (size & 1);
  }
  throw new WavError(fmt ? 'no data chunk' : 'no fmt chunk');
}

function describe(fmt: {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
}): Omit<WavAudio, 'data'> {
  if (fmt.channels < 1 || fmt.channels > 2)
    throw new WavError(`${fmt.channels} channels (only mono and stereo)`);
  if (fmt.sampleRate < 1000 || fmt.sampleRate > 192000)
    throw new WavError(`sample rate ${fmt.sampleRate} Hz`);
  const base = { sampleRate: fmt.sampleRate, channels: fmt.channels };
  if (fmt.tag === FORMAT_PCM && fmt.bits === 16) return { encoding: 'pcm16', ...base };
  if (fmt.tag === FORMAT_ULAW && fmt.bits === 8) return { encoding: 'ulaw', ...base };
  if (fmt.tag === FORMAT_ALAW && fmt.bits === 8) return { encoding: 'alaw', ...base };
  throw new WavError(
    `unsupported WAV format (tag ${fmt.tag}, ${fmt.bits} bits): use 16-bit PCM, µ-law or A-law`,
  );
}

/** The audio as mono 16-bit PCM at its own rate (stereo is averaged). */
export function wavToPcm16Mono(audio: WavAudio): Int16Array {
  const frames = audio.encoding === 'pcm16' ? audio.data.length >> 1 : audio.data.length;
  const interleaved = new Int16Array(frames);
  if (audio.encoding === 'ulaw') decodeUlaw(audio.data, interleaved);
  else if (audio.encoding === 'alaw') decodeAlaw(audio.data, interleaved);
  else {
    const view = new DataView(audio.data.buffer, audio.data.byteOffset, audio.data.byteLength);
    for (let i = 0; i < frames; i++) interleaved[i] = view.getInt16(2 * i, true);
  }
  if (audio.channels === 1) return interleaved;
  const mono = new Int16Array(interleaved.length >> 1);
  for (let i = 0; i < mono.length; i++) mono[i] = (interleaved[2 * i]! + interleaved[2 * i + 1]!) >> 1;
  return mono;
}

/** A 44-byte canonical header (or 46 for G.711, whose fmt chunk has cbSize). */
export function wavHeader(
  encoding: WavEncoding,
  sampleRate: number,
  channels: number,
  dataBytes: number,
): Buffer {
  const g711 = encoding !== 'pcm16';
  const fmtSize = g711 ? 18 : 16;
  const header = Buffer.alloc(20 + fmtSize + 8);
  const bytesPerSample = g711 ? 1 : 2;
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(header.length - 8 + dataBytes, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(fmtSize, 16);
  header.writeUInt16LE(
    encoding === 'pcm16' ? FORMAT_PCM : encoding === 'ulaw' ? FORMAT_ULAW : FORMAT_ALAW,
    20,
  );
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  header.writeUInt16LE(channels * bytesPerSample, 32);
  header.writeUInt16LE(bytesPerSample * 8, 34);
  if (g711) header.writeUInt16LE(0, 36);
  header.write('data', 20 + fmtSize, 'latin1');
  header.writeUInt32LE(dataBytes, 24 + fmtSize);
  return header;
}

/** A whole WAV file from 16-bit PCM samples (interleaved when stereo). */
export function writeWav(samples: Int16Array, sampleRate: number, channels = 1): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(samples[i]!, 2 * i);
  return Buffer.concat([wavHeader('pcm16', sampleRate, channels, data.length), data]);
}

/**
 * A WAV file written as it is recorded: a header with a zero size first, samples appended,
 * and the sizes patched in when closed (readWav accepts the zero size, so a recording cut short
 * by a crash is still readable). Writes are gathered to about a second of audio so the media
 * loop makes one small write per second per recording, not fifty.
 */
export class WavFileWriter {
  private fd: number | null;
  private dataBytes = 0;
  private readonly headerBytes: number;
  private readonly pending = Buffer.alloc(16384);
  private pendingBytes = 0;

  constructor(
    readonly path: string,
    private readonly encoding: WavEncoding,
    private readonly sampleRate: number,
    private readonly channels = 1,
  ) {
    this.fd = openSync(path, 'w');
    const header = wavHeader(encoding, sampleRate, channels, 0);
    this.headerBytes = header.length;
    writeSync(this.fd, header);
  }

  get bytesWritten(): number {
    return this.dataBytes;
  }

  write(bytes: Uint8Array): void {
    if (this.fd === null) return;
    if (this.pendingBytes + bytes.length > this.pending.length) this.flush();
    if (bytes.length > this.pending.length) writeSync(this.fd, bytes);
    else {
      this.pending.set(bytes, this.pendingBytes);
      this.pendingBytes += bytes.length;
    }
    this.dataBytes += bytes.length;
  }

  private flush(): void {
    if (this.fd === null || this.pendingBytes === 0) return;
    writeSync(this.fd, this.pending, 0, this.pendingBytes);
    this.pendingBytes = 0;
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    const header = wavHeader(this.encoding, this.sampleRate, this.channels, this.dataBytes);
    writeSync(this.fd, header, 0, this.headerBytes, 0);
    closeSync(this.fd);
    this.fd = null;
  }
}
