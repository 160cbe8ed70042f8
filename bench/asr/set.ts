// Labelled audio for bench:asr: a folder of WAV files and refs.tsv (`file<TAB>text`). The default
// set is built at run time in a temporary folder (nothing is copied into the repository): English
// sentences spoken by espeak-ng, and Debian's human-recorded Asterisk prompts listed in a prompts
// file (`name<TAB>text`), each at 8 kHz (the .wav package) and 16 kHz (the .g722 package, decoded
// with the media engine's G.722 codec).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readWav, resample, wavToPcm16Mono, writeWav } from '../../src/media/index.js';
import { prompt16k, prompt8k, PROMPTS_DIR } from '../../src/transcription/testing/audio.js';

const execFileAsync = promisify(execFile);

export interface LabelledAudio {
  file: string;
  text: string;
  pcm: Int16Array;
  rate: 8000 | 16000;
  /** Which part of the set (for per-part figures): e.g. prompts-16k, espeak-8k. */
  group: string;
}

/** Sentences a contact-centre call might have; not the prompts' texts. */
export const ESPEAK_SENTENCES = [
  'Thank you for calling, how can I help you today?',
  'I would like to check the status of my order.',
  'My account number is four five six seven.',
  'The parcel never arrived and I want a refund.',
  'Could you please spell your last name for me?',
  'Please hold the line while I transfer your call.',
  'I have been waiting for more than two weeks.',
  'Is there anything else I can help you with?',
  'The payment was taken twice from my card.',
  'Have a nice day and thank you for your patience.',
];

export async function buildDefaultSet(promptsFile: string, promptsDir = PROMPTS_DIR): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-asr-set-'));
  const refs: string[] = [];
  let n = 0;
  for (const sentence of ESPEAK_SENTENCES) {
    n++;
    const { stdout } = await execFileAsync('espeak-ng', ['-v', 'en-us', '-s', '150', '--stdout', sentence], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    const wav = readWav(stdout);
    const pcm = wavToPcm16Mono(wav);
    for (const rate of [16000, 8000] as const) {
      const file = `espeak-${rate / 1000}k-${String(n).padStart(2, '0')}.wav`;
      writeFileSync(path.join(dir, file), writeWav(resample(pcm, wav.sampleRate, rate), rate));
      refs.push(`${file}\t${sentence}`);
    }
  }
  const lines = readFileSync(promptsFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'));
  for (const line of lines) {
    const [name, text] = line.split('\t') as [string, string];
    if (!existsSync(`${promptsDir}/${name}.wav`) || !existsSync(`${promptsDir}/${name}.g722`)) continue;
    const safe = name.replace(/[^\w-]+/g, '_');
    writeFileSync(
      path.join(dir, `prompts-16k-${safe}.wav`),
      writeWav(await prompt16k(name, promptsDir), 16000),
    );
    writeFileSync(path.join(dir, `prompts-8k-${safe}.wav`), writeWav(await prompt8k(name, promptsDir), 8000));
    refs.push(`prompts-16k-${safe}.wav\t${text}`, `prompts-8k-${safe}.wav\t${text}`);
  }
  writeFileSync(path.join(dir, 'refs.tsv'), refs.join('\n') + '\n');
  return dir;
}

/** Reads DIR/refs.tsv and its WAV files; 8 kHz and 16 kHz are kept, other rates go to 16 kHz. */
export function loadSet(dir: string): LabelledAudio[] {
  const refs = readFileSync(path.join(dir, 'refs.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'));
  return refs.map((line) => {
    const [file, text] = line.split('\t') as [string, string];
    const wav = readWav(readFileSync(path.join(dir, file)));
    let pcm = wavToPcm16Mono(wav);
    const rate: 8000 | 16000 = wav.sampleRate === 8000 ? 8000 : 16000;
    if (wav.sampleRate !== rate) pcm = resample(pcm, wav.sampleRate, rate);
    const kind = file.split('-')[0] ?? 'set';
    return { file, text: text.trim(), pcm, rate, group: `${kind}-${rate / 1000}k` };
  });
}
