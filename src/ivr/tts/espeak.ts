// The embedded TTS: espeak-ng (a Debian package, no network), resampled to 8 kHz with sox.
// Mandarin is spoken from tone-numbered pinyin with the cmn-latn-pinyin voice (see pinyin.ts).
import { spawn } from 'node:child_process';
import { IvrError } from '../errors.js';
import type { LanguageSettings } from '../languages.js';
import type { TtsProvider } from './contract.js';
import { hasChinese, toPinyin } from './pinyin.js';

function run(command: string, args: string[], input: string | null, pipeTo?: ReturnType<typeof spawn>) {
  const child = spawn(command, args, { stdio: ['pipe', pipeTo ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  if (pipeTo) child.stdout!.pipe(pipeTo.stdin!);
  if (input !== null) child.stdin!.end(input);
  return new Promise<void>((resolve, reject) => {
    child.once('error', (err) =>
      reject(new IvrError('IVR_TTS_FAILED', `${command}: ${err.message}`, { cause: err })),
    );
    child.once('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new IvrError('IVR_TTS_FAILED', `${command} exited with ${code}: ${stderr.trim().slice(0, 300)}`),
        );
    });
  });
}

export class EspeakTts implements TtsProvider {
  readonly name = 'espeak-ng';

  constructor(private readonly options: { espeak?: string; sox?: string; speed?: number } = {}) {}

  voiceOf(language: LanguageSettings): string {
    return `${language.espeakVoice}${language.pinyin ? '+pinyin' : ''}@${this.options.speed ?? 150}`;
  }

  /** What espeak-ng is given for `text` (pinyin for Chinese with a pinyin voice). */
  spoken(text: string, language: LanguageSettings): string {
    return language.pinyin && hasChinese(text) ? toPinyin(text) : text;
  }

  async synthesize(text: string, language: LanguageSettings, wavFile: string): Promise<void> {
    const sox = spawn(
      this.options.sox ?? 'sox',
      ['-q', '-t', 'wav', '-', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', wavFile],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let soxErr = '';
    sox.stderr.on('data', (d: Buffer) => (soxErr += d.toString()));
    const soxDone = new Promise<void>((resolve, reject) => {
      sox.once('error', (err) =>
        reject(new IvrError('IVR_TTS_FAILED', `sox: ${err.message}`, { cause: err })),
      );
      sox.once('close', (code) =>
        code === 0
          ? resolve()
          : reject(new IvrError('IVR_TTS_FAILED', `sox exited with ${code}: ${soxErr.trim()}`)),
      );
    });
    const speed = String(this.options.speed ?? 150);
    // Text goes in on stdin, never as an argument: a prompt can start with "-".
    const espeak = run(
      this.options.espeak ?? 'espeak-ng',
      ['-v', language.espeakVoice, '-s', speed, '--stdout'],
      this.spoken(text, language),
      sox,
    );
    await Promise.all([espeak, soxDone]);
  }
}
