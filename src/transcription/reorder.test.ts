import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from './reorder.js';

function run(seqs: number[], window = 4): { out: number[]; buffer: ReorderBuffer<number> } {
  const buffer = new ReorderBuffer<number>(window);
  const out: number[] = [];
  for (const s of seqs) out.push(...buffer.push(s, s));
  out.push(...buffer.flush());
  return { out, buffer };
}

describe('RTP reorder buffer', () => {
  it('passes packets in order straight through', () => {
    expect(run([10, 11, 12, 13]).out).toEqual([10, 11, 12, 13]);
  });

  it('puts swapped packets back in order', () => {
    const { out, buffer } = run([1, 3, 2, 5, 4, 6]);
    expect(out).toEqual([1, 2, 3, 4, 5, 6]);
    expect(buffer.stats).toEqual({ reordered: 0, lost: 0, late: 0 });
  });

  it('gives up on a lost packet once the window is full, counting it', () => {
    const buffer = new ReorderBuffer<number>(2);
    expect(buffer.push(1, 1)).toEqual([1]);
    expect(buffer.push(3, 3)).toEqual([]);
    expect(buffer.push(4, 4)).toEqual([]);
    expect(buffer.push(5, 5)).toEqual([3, 4, 5]);
    expect(buffer.stats.lost).toBe(1);
  });

  it('drops late packets and duplicates', () => {
    const { out, buffer } = run([5, 6, 6, 4, 7], 4);
    expect(out).toEqual([5, 6, 7]);
    expect(buffer.stats.late).toBe(2);
  });

  it('follows the sequence number across its wrap at 65535', () => {
    expect(run([65534, 0, 65535, 1]).out).toEqual([65534, 65535, 0, 1]);
  });

  it('treats a big jump as a restarted sender, not thousands of lost packets', () => {
    const { out, buffer } = run([100, 101, 40000, 40001]);
    expect(out).toEqual([100, 101, 40000, 40001]);
    expect(buffer.stats.lost).toBe(0);
  });

  it('never reorders, duplicates or invents packets, however they arrive', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        (seqs, window) => {
          const { out } = run(
            seqs.map((s) => s + 100),
            window,
          );
          // Every output was an input, none twice, and the output is increasing.
          expect(new Set(out).size).toBe(out.length);
          for (const s of out) expect(seqs.map((x) => x + 100)).toContain(s);
          for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThan(out[i - 1]!);
        },
      ),
    );
  });
});
