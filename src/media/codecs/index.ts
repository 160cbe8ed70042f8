// Audio codecs and file formats for the media server and for whoever receives its audio
// (transcription): pure functions and small stateful coders, no I/O except WAV files.
export {
  ALAW_SILENCE,
  ALAW_TO_LINEAR,
  ALAW_TO_ULAW,
  LINEAR_TO_ALAW,
  LINEAR_TO_ULAW,
  ULAW_SILENCE,
  ULAW_TO_ALAW,
  ULAW_TO_LINEAR,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  transcodeG711,
} from './g711.js';
export { G722Decoder, G722Encoder } from './g722.js';
export { decodeL16, encodeL16 } from './l16.js';
export { Downsampler2, Upsampler2, resample } from './resample.js';
export {
  WavError,
  WavFileWriter,
  readWav,
  wavHeader,
  wavToPcm16Mono,
  writeWav,
  type WavAudio,
  type WavEncoding,
} from './wav.js';
export {
  bytesPerSample,
  codecSampleRate,
  createDecoder,
  createEncoder,
  type CodecName,
  type PayloadDecoder,
  type PayloadEncoder,
} from './codec.js';
