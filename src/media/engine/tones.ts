// Asterisk indication tones: 'f1[+f2][/ms],...' parts played in a loop; '!' before a part plays
// it once only; frequency 0 is silence; a part without a duration lasts for ever. The names are
// Asterisk's defaults for the US (indications.conf), which is what `tone:ring` means there.
import { MediaEngineError } from './errors.js';

export const INDICATION_TONES: Record<string, string> = {
  dial: '350+440',
  ring: '440+480/2000,0/4000',
  busy: '480+620/500,0/500',
  congestion: '480+620/250,0/250',
  callwaiting: '440/300,0/10000',
  dialrecall: '!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,350+440',
  record: '1400/500,0/15000',
  info: '!950/330,!1400/330,!1800/330,0',
  stutter: '!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,350+440',
  beep: '!1000/250',
};

export interface TonePart {
  frequencies: number[];
  /** null = until stopped. */
  durationMs: number | null;
  once: boolean;
}

export function parseTone(tone: string): TonePart[] {
  const text = INDICATION_TONES[tone.trim().toLowerCase()] ?? tone;
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new MediaEngineError('BAD_TONE', `empty tone '${tone}'`);
  return parts.map((part) => {
    const once = part.startsWith('!');
    const body = once ? part.slice(1) : part;
    const m = /^(\d+(?:[+*]\d+)*)(?:\/(\d+))?$/.exec(body);
    if (!m)
      throw new MediaEngineError(
        'BAD_TONE',
        `bad tone part '${part}' in '${tone}': expected 'freq[+freq][/ms]' or a name (${Object.keys(INDICATION_TONES).join(', ')})`,
      );
    const frequencies = m[1]!
      .split(/[+*]/)
      .map(Number)
      .filter((f) => f > 0);
    return { frequencies, durationMs: m[2] === undefined ? null : Number(m[2]), once };
  });
}

/** Generates a tone frame by frame; `finished` once a non-repeating tone (or durationMs) ends. */
export class ToneGenerator {
  private part = 0;
  private sampleInPart = 0;
  private total = 0;
  private readonly phase: number[] = [];
  private readonly repeatFrom: number;
  finished = false;
  private static readonly AMPLITUDE = 5000;

  constructor(
    private readonly parts: TonePart[],
    private readonly rate: number,
    private readonly limitMs: number | null = null,
  ) {
    // After the first pass only the parts without '!' repeat.
    const firstRepeating = parts.findIndex((p) => !p.once);
    this.repeatFrom = firstRepeating;
  }

  fill(out: Int16Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.finished ? 0 : this.sample();
  }

  private sample(): number {
    if (this.limitMs !== null && this.total >= (this.limitMs * this.rate) / 1000) {
      this.finished = true;
      return 0;
    }
    let part = this.parts[this.part];
    while (part && part.durationMs !== null && this.sampleInPart >= (part.durationMs * this.rate) / 1000) {
      this.sampleInPart = 0;
      this.part++;
      if (this.part >= this.parts.length) {
        if (this.repeatFrom < 0) {
          this.finished = true;
          return 0;
        }
        this.part = this.repeatFrom;
      }
      part = this.parts[this.part];
      this.phase.length = 0;
    }
    if (!part) return 0;
    this.sampleInPart++;
    this.total++;
    let value = 0;
    for (let f = 0; f < part.frequencies.length; f++) {
      const step = (2 * Math.PI * part.frequencies[f]!) / this.rate;
      const phase = (this.phase[f] ?? 0) + step;
      this.phase[f] = phase > 2 * Math.PI ? phase - 2 * Math.PI : phase;
      value += Math.sin(phase);
    }
    return Math.round(ToneGenerator.AMPLITUDE * value);
  }
}
