import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ALAW_TO_LINEAR,
  ALAW_TO_ULAW,
  LINEAR_TO_ALAW,
  LINEAR_TO_ULAW,
  ULAW_TO_ALAW,
  ULAW_TO_LINEAR,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  transcodeG711,
} from './g711.js';
import { readWav, wavToPcm16Mono } from './wav.js';

const HELLO = '/usr/share/asterisk/sounds/en/hello-world.wav';
const dir = mkdtempSync(path.join(tmpdir(), 'hotline-g711-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sox(...args: string[]): void {
  execFileSync('sox', args);
}

describe('G.711', () => {
  const speech = wavToPcm16Mono(readWav(readFileSync(HELLO)));

  it('encodes real speech to the same µ-law and A-law bytes as sox (without dither)', () => {
    sox('-D', HELLO, '-t', 'ul', path.join(dir, 'hello.ul'));
    sox('-D', HELLO, '-t', 'al', path.join(dir, 'hello.al'));
    const ulaw = new Uint8Array(speech.length);
    const alaw = new Uint8Array(speech.length);
    encodeUlaw(speech, ulaw);
    encodeAlaw(speech, alaw);
    expect(Buffer.from(ulaw).equals(readFileSync(path.join(dir, 'hello.ul')))).toBe(true);
    expect(Buffer.from(alaw).equals(readFileSync(path.join(dir, 'hello.al')))).toBe(true);
  });

  it('encodes every 16-bit sample value to the same bytes as sox', () => {
    const every = Buffer.alloc(65536 * 2);
    for (let i = 0; i < 65536; i++) every.writeInt16LE(i - 32768, 2 * i);
    writeBytes(path.join(dir, 'every.raw'), every);
    const raw = ['-t', 's16', '-e', 'signed', '-r', '8000', '-c', '1', path.join(dir, 'every.raw')];
    sox('-D', ...raw, '-t', 'ul', path.join(dir, 'every.ul'));
    sox('-D', ...raw, '-t', 'al', path.join(dir, 'every.al'));
    const soxUlaw = readFileSync(path.join(dir, 'every.ul'));
    const soxAlaw = readFileSync(path.join(dir, 'every.al'));
    let differences = 0;
    for (let i = 0; i < 65536; i++) {
      const index = (i - 32768) & 0xffff;
      if (LINEAR_TO_ULAW[index] !== soxUlaw[i] || LINEAR_TO_ALAW[index] !== soxAlaw[i]) differences++;
    }
    expect(differences).toBe(0);
  });

  it('decodes every µ-law and A-law byte to the same sample as sox', () => {
    const all = Buffer.from([...Array(256).keys()]);
    const ulPath = path.join(dir, 'all.ul');
    const alPath = path.join(dir, 'all.al');
    writeBytes(ulPath, all);
    writeBytes(alPath, all);
    sox('-t', 'ul', '-r', '8000', '-c', '1', ulPath, '-t', 's16', '-e', 'signed', path.join(dir, 'ul.raw'));
    sox('-t', 'al', '-r', '8000', '-c', '1', alPath, '-t', 's16', '-e', 'signed', path.join(dir, 'al.raw'));
    const fromSox = (file: string): number[] => {
      const b = readFileSync(path.join(dir, file));
      return [...Array(256).keys()].map((i) => b.readInt16LE(2 * i));
    };
    const ours = (decode: typeof decodeUlaw): number[] => {
      const out = new Int16Array(256);
      decode(all, out);
      return [...out];
    };
    expect(ours(decodeUlaw)).toEqual(fromSox('ul.raw'));
    expect(ours(decodeAlaw)).toEqual(fromSox('al.raw'));
  });

  it('re-encoding a decoded byte gives the byte back (tables are consistent)', () => {
    for (let b = 0; b < 256; b++) {
      expect(LINEAR_TO_ULAW[ULAW_TO_LINEAR[b]! & 0xffff]).toBe(b === 0x7f ? 0xff : b);
      expect(LINEAR_TO_ALAW[ALAW_TO_LINEAR[b]! & 0xffff]).toBe(b);
    }
  });

  it('transcodes PCMU to PCMA by table to the same bytes as decoding and re-encoding', () => {
    const ulaw = new Uint8Array(speech.length);
    encodeUlaw(speech, ulaw);
    const direct = new Uint8Array(ulaw.length);
    transcodeG711(ULAW_TO_ALAW, ulaw, 0, ulaw.length, direct, 0);
    const pcm = new Int16Array(ulaw.length);
    decodeUlaw(ulaw, pcm);
    const viaPcm = new Uint8Array(ulaw.length);
    encodeAlaw(pcm, viaPcm);
    expect(Buffer.from(direct).equals(Buffer.from(viaPcm))).toBe(true);
    // And back: A-law → µ-law keeps the speech (every step is within a quantisation interval).
    const back = new Uint8Array(direct.length);
    transcodeG711(ALAW_TO_ULAW, direct, 0, direct.length, back, 0);
    const decodedBack = new Int16Array(back.length);
    decodeUlaw(back, decodedBack);
    let maxError = 0;
    for (let i = 0; i < pcm.length; i++)
      maxError = Math.max(maxError, Math.abs(decodedBack[i]! - pcm[i]!) / (Math.abs(pcm[i]!) + 64));
    expect(maxError).toBeLessThan(0.13);
  });
});

function writeBytes(file: string, bytes: Buffer): void {
  writeFileSync(file, bytes);
}
