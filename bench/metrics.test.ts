import { describe, expect, it } from 'vitest';
import { f1, macroF1, nmi, purity, spearman } from './metrics.js';

describe('benchmark measures', () => {
  it('gives NMI 1 for a clustering that is the labelling renamed, and 0 for one cluster', () => {
    expect(nmi([0, 0, 1, 1, 2], ['a', 'a', 'b', 'b', 'c'])).toBeCloseTo(1);
    expect(nmi([0, 0, 0, 0], ['a', 'b', 'a', 'b'])).toBeCloseTo(0);
  });

  it('counts purity as the share of items in their cluster’s majority label', () => {
    expect(purity([0, 0, 0, 1], ['a', 'a', 'b', 'b'])).toBeCloseTo(0.75);
  });

  it('computes F1 from precision and recall', () => {
    const r = f1([true, true, false, false], [true, false, true, false]);
    expect(r.precision).toBeCloseTo(0.5);
    expect(r.recall).toBeCloseTo(0.5);
    expect(r.f1).toBeCloseTo(0.5);
  });

  it('averages F1 over classes for macro-F1', () => {
    expect(macroF1(['x', 'y', 'y'], ['x', 'y', 'x'], ['x', 'y'])).toBeCloseTo((2 / 3 + 2 / 3) / 2);
  });

  it('ranks with ties for Spearman', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
  });
});
