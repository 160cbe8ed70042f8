import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWav, WavError, WavFileWriter, wavToPcm16Mono, writeWav } from './wav.js';

const HELLO = '/usr/share/asterisk/sounds/en/hello-world.wav';
const dir = mkdtempSync(path.join(tmpdir(), 'hotline-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function soxInfo(file: string): string {
  return execFileSync('soxi', [file]).toString();
}

describe('WAV files', () => {
  it("reads Asterisk's 8 kHz mono prompt", () => {
    const wav = readWav(readFileSync(HELLO));
    expect(wav).toMatchObject({ encoding: 'pcm16', sampleRate: 8000, channels: 1 });
    expect(wavToPcm16Mono(wav).length).toBe(11234);
  });

  it('reads stereo 44.1 kHz PCM and G.711 WAVs made by sox', () => {
    const stereo = path.join(dir, 'stereo.wav');
    execFileSync('sox', ['-D', HELLO, '-r', '44100', '-c', '2', stereo]);
    const s = readWav(readFileSync(stereo));
    expect(s).toMatchObject({ encoding: 'pcm16', sampleRate: 44100, channels: 2 });
    expect(wavToPcm16Mono(s).length).toBe(s.data.length / 4);
    for (const [encoding, flag] of [
      ['ulaw', 'u-law'],
      ['alaw', 'a-law'],
    ] as const) {
      const file = path.join(dir, `${encoding}.wav`);
      execFileSync('sox', ['-D', HELLO, '-e', flag, file]);
      const g = readWav(readFileSync(file));
      expect(g).toMatchObject({ encoding, sampleRate: 8000, channels: 1 });
      expect(wavToPcm16Mono(g).length).toBe(11234);
    }
  });

  it('writes a file sox reads back with the same samples', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    const file = path.join(dir, 'ours.wav');
    execFileSync('sh', ['-c', `cat > ${file}`], { input: writeWav(samples, 16000) });
    expect(soxInfo(file)).toMatch(/Sample Rate\s*:\s*16000/);
    const raw = execFileSync('sox', [file, '-t', 's16', '-']);
    expect([...new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2)]).toEqual([...samples]);
  });

  it('streams a recording and patches the header sizes when closed', () => {
    const file = path.join(dir, 'stream.wav');
    const writer = new WavFileWriter(file, 'ulaw', 8000);
    for (let i = 0; i < 150; i++) writer.write(new Uint8Array(160).fill(0xff));
    writer.close();
    const wav = readWav(readFileSync(file));
    expect(wav).toMatchObject({ encoding: 'ulaw', sampleRate: 8000, channels: 1 });
    expect(wav.data.length).toBe(24000);
    expect(soxInfo(file)).toMatch(/Duration\s*:\s*00:00:03\.00/);
  });

  it('explains what is wrong with a file it cannot read', () => {
    expect(() => readWav(Buffer.from('not a wav at all'))).toThrow(WavError);
    const float = path.join(dir, 'float.wav');
    execFileSync('sox', [HELLO, '-e', 'floating-point', '-b', '32', float]);
    expect(() => readWav(readFileSync(float))).toThrow(/unsupported WAV format.*16-bit PCM/);
  });
});
