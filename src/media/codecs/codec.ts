// One interface over the payload codecs a call can use, so the engine handles PCMU, PCMA, G.722
// and L16 the same way. Encoders and decoders hold per-stream state (G.722's predictors), so make
// one of each per RTP stream.
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from './g711.js';
import { G722Decoder, G722Encoder } from './g722.js';
import { decodeL16, encodeL16 } from './l16.js';

export type CodecName = 'PCMU' | 'PCMA' | 'G722' | 'L16';

export interface PayloadEncoder {
  readonly codec: CodecName;
  /** Audio sample rate the encoder expects (8000 or 16000). */
  readonly sampleRate: number;
  /** Encodes `count` samples into `out` at `outOffset`; returns bytes written. */
  encode(pcm: Int16Array, out: Uint8Array, outOffset: number, count: number): number;
}

export interface PayloadDecoder {
  readonly codec: CodecName;
  readonly sampleRate: number;
  /** Decodes `length` payload bytes at `offset`; returns samples written to `out`. */
  decode(payload: Uint8Array, offset: number, length: number, out: Int16Array): number;
}

/** Payload bytes per sample at the codec's own sample rate. */
export function bytesPerSample(codec: CodecName): number {
  return codec === 'L16' ? 2 : codec === 'G722' ? 0.5 : 1;
}

/** L16 runs at 8000 or 16000 as negotiated; G.722 always carries 16 kHz audio. */
export function codecSampleRate(codec: CodecName, negotiated: number): number {
  if (codec === 'G722') return 16000;
  if (codec === 'L16') return negotiated;
  return 8000;
}

export function createEncoder(codec: CodecName, sampleRate = 8000): PayloadEncoder {
  const rate = codecSampleRate(codec, sampleRate);
  switch (codec) {
    case 'PCMU':
      return { codec, sampleRate: rate, encode: (pcm, out, at, n) => encodeUlaw(pcm, out, at, n) };
    case 'PCMA':
      return { codec, sampleRate: rate, encode: (pcm, out, at, n) => encodeAlaw(pcm, out, at, n) };
    case 'L16':
      return { codec, sampleRate: rate, encode: (pcm, out, at, n) => encodeL16(pcm, out, at, n) };
    case 'G722': {
      const g722 = new G722Encoder();
      return { codec, sampleRate: rate, encode: (pcm, out, at, n) => g722.encode(pcm, out, at, n) };
    }
  }
}

export function createDecoder(codec: CodecName, sampleRate = 8000): PayloadDecoder {
  const rate = codecSampleRate(codec, sampleRate);
  switch (codec) {
    case 'PCMU':
      return { codec, sampleRate: rate, decode: (p, at, n, out) => decodeUlaw(p, out, 0, at, n) };
    case 'PCMA':
      return { codec, sampleRate: rate, decode: (p, at, n, out) => decodeAlaw(p, out, 0, at, n) };
    case 'L16':
      return { codec, sampleRate: rate, decode: (p, at, n, out) => decodeL16(p, out, 0, at, n) };
    case 'G722': {
      const g722 = new G722Decoder();
      return { codec, sampleRate: rate, decode: (p, at, n, out) => g722.decode(p, out, 0, at, n) };
    }
  }
}
