// 8 kHz ↔ 16 kHz for a stream of frames (the only conversion a fork ever needs: G.711 legs to
// pocketsphinx's 16 kHz model, or a wideband leg to an 8 kHz recogniser), with the media
// engine's half-band filters, which keep their state across frames.
import { Downsampler2, Upsampler2 } from '../media/index.js';
import type { SampleRate } from './provider.js';

export function streamResampler(from: SampleRate, to: SampleRate): (pcm: Int16Array) => Int16Array {
  if (from === to) return (pcm) => pcm;
  if (from < to) {
    const up = new Upsampler2();
    return (pcm) => {
      const out = new Int16Array(pcm.length * 2);
      up.process(pcm, out);
      return out;
    };
  }
  const down = new Downsampler2();
  return (pcm) => {
    const out = new Int16Array(pcm.length >> 1);
    down.process(pcm, out, pcm.length & ~1);
    return out;
  };
}
