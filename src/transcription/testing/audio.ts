// Test and bench audio: Debian's human-recorded Asterisk prompts (read where the packages put
// them, never copied), espeak-ng sentences, silence, and word overlap for asserting on what a
// recogniser heard without expecting exact text.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { G722Decoder, resample, wavToPcm16Mono, readWav } from '../../media/index.js';

const execFileAsync = promisify(execFile);

export const PROMPTS_DIR = '/usr/share/asterisk/sounds/en';

/** A 16 kHz prompt from asterisk-core-sounds-en-g722, decoded. */
export async function prompt16k(name: string, dir = PROMPTS_DIR): Promise<Int16Array> {
  const bytes = await readFile(`${dir}/${name}.g722`);
  const out = new Int16Array(bytes.length * 2);
  new G722Decoder().decode(bytes, out);
  return out;
}

/** An 8 kHz prompt from asterisk-core-sounds-en-wav. */
export async function prompt8k(name: string, dir = PROMPTS_DIR): Promise<Int16Array> {
  const wav = readWav(await readFile(`${dir}/${name}.wav`));
  const pcm = wavToPcm16Mono(wav);
  return wav.sampleRate === 8000 ? pcm : resample(pcm, wav.sampleRate, 8000);
}

/** espeak-ng speaking `text` (US English), at `rate` Hz. */
export async function espeak(text: string, rate: 8000 | 16000 = 16000): Promise<Int16Array> {
  const { stdout } = await execFileAsync('espeak-ng', ['-v', 'en-us', '-s', '150', '--stdout', text], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wav = readWav(stdout);
  const pcm = wavToPcm16Mono(wav);
  return wav.sampleRate === rate ? pcm : resample(pcm, wav.sampleRate, rate);
}

export function silence(ms: number, rate: number): Int16Array {
  return new Int16Array(Math.round((ms * rate) / 1000));
}

export function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Splits audio into frames of `ms` (the last may be shorter), each its own array. */
export function frames(pcm: Int16Array, rate: number, ms = 20): Int16Array[] {
  const size = Math.round((rate * ms) / 1000);
  const out: Int16Array[] = [];
  for (let i = 0; i < pcm.length; i += size) out.push(pcm.slice(i, i + size));
  return out;
}

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Share of the reference's distinct words that appear in the hypothesis (0..1). */
export function wordOverlap(reference: string, hypothesis: string): number {
  const ref = new Set(words(reference));
  const hyp = new Set(words(hypothesis));
  if (!ref.size) return 0;
  let hit = 0;
  for (const w of ref) if (hyp.has(w)) hit++;
  return hit / ref.size;
}
