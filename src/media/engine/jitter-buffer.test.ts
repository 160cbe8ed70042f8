import { describe, expect, it } from 'vitest';
import { createDecoder, encodeUlaw } from '../codecs/index.js';
import { JitterBuffer } from './jitter-buffer.js';

/** A µ-law packet whose samples all encode `value`. */
function packet(value: number): Uint8Array {
  const out = new Uint8Array(160);
  encodeUlaw(new Int16Array(160).fill(value), out);
  return out;
}

function levels(buffer: JitterBuffer, frames: number): (number | null)[] {
  return Array.from({ length: frames }, () => {
    const frame = buffer.pull();
    return frame ? Math.round(frame[0]! / 1000) : null;
  });
}

describe('the jitter buffer', () => {
  it('plays reordered packets in sequence order', () => {
    const buffer = new JitterBuffer(createDecoder('PCMU'), 160);
    for (const seq of [10, 12, 11, 13]) buffer.push(1, seq, packet((seq - 9) * 1000));
    expect(levels(buffer, 4)).toEqual([1, 2, 3, 4]);
  });

  it('fills a lost packet with silence once later ones are there', () => {
    const buffer = new JitterBuffer(createDecoder('PCMU'), 160);
    for (const seq of [10, 11, 13, 14]) buffer.push(1, seq, packet((seq - 9) * 1000));
    expect(levels(buffer, 5)).toEqual([1, 2, 0, 4, 5]);
    expect(buffer.concealed).toBe(1);
  });

  it('drops duplicates and packets whose time has passed', () => {
    const buffer = new JitterBuffer(createDecoder('PCMU'), 160);
    buffer.push(1, 10, packet(1000));
    buffer.push(1, 11, packet(2000));
    buffer.push(1, 11, packet(9000));
    expect(levels(buffer, 2)).toEqual([1, 2]);
    buffer.push(1, 10, packet(7000));
    expect(buffer.depth).toBe(0);
  });

  it('starts over on a new SSRC', () => {
    const buffer = new JitterBuffer(createDecoder('PCMU'), 160);
    buffer.push(1, 100, packet(1000));
    buffer.push(1, 101, packet(1000));
    buffer.push(2, 5000, packet(3000));
    buffer.push(2, 5001, packet(4000));
    expect(levels(buffer, 2)).toEqual([3, 4]);
  });

  it('waits for two packets before playing, and again after running dry', () => {
    const buffer = new JitterBuffer(createDecoder('PCMU'), 160);
    buffer.push(1, 1, packet(1000));
    expect(buffer.pull()).toBeNull();
    buffer.push(1, 2, packet(2000));
    expect(levels(buffer, 3)).toEqual([1, 2, null]);
  });

  it('cuts 30 ms packets into 20 ms frames', () => {
    const buffer = new JitterBuffer(createDecoder('PCMU'), 160);
    const big = (value: number): Uint8Array => {
      const out = new Uint8Array(240);
      encodeUlaw(new Int16Array(240).fill(value), out);
      return out;
    };
    buffer.push(1, 1, big(1000));
    buffer.push(1, 2, big(2000));
    const first = buffer.pull()!;
    expect(Math.round(first[0]! / 1000)).toBe(1);
    const second = buffer.pull()!;
    expect([Math.round(second[0]! / 1000), Math.round(second[159]! / 1000)]).toEqual([1, 2]);
  });
});
