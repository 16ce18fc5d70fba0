import { foldIn, key, permutation } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { batchPlan } from './batches.js';
import { fitStandardizer, standardize, unstandardize } from './normalize.js';

describe('batchPlan', () => {
  it('full, sgd and mini-batch plans cover every sample once per epoch', () => {
    const k = key(3);
    expect(batchPlan(10, { batch: 'full' }).batchesPerEpoch).toBe(1);
    const sgdPlan = batchPlan(10, { batch: 'sgd', key: k });
    expect(sgdPlan.batchesPerEpoch).toBe(10);
    const p = batchPlan(10, { batch: 4, key: k });
    expect([p.batchesPerEpoch, p.start(2), p.end(2)]).toEqual([3, 8, 10]);
    expect(Array.from(p.order(5)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const d = batchPlan(10, { batch: 4, dropLast: true, key: k });
    expect([d.batchesPerEpoch, d.samplesPerEpoch]).toEqual([2, 8]);
  });

  it("'epoch' uses permutation(foldIn(key, e), n); 'fixed' reuses permutation(key, n)", () => {
    const k = key(0);
    const e = batchPlan(200, { batch: 'sgd', key: k });
    expect(Array.from(e.order(7))).toEqual(Array.from(permutation(foldIn(k, 7), 200)));
    const f = batchPlan(200, { batch: 'sgd', shuffle: 'fixed', key: k });
    const first = Array.from(f.order(0));
    expect(first).toEqual(Array.from(permutation(k, 200)));
    expect(Array.from(f.order(9))).toEqual(first);
  });

  it('validates its options', () => {
    expect(() => batchPlan(0)).toThrow('batchPlan: n must be an integer ≥ 1, got 0');
    expect(() => batchPlan(5, { batch: -1 })).toThrow(/batchPlan: batch must be .* got -1/);
    expect(() => batchPlan(5, { batch: 2 })).toThrow(/batchPlan: key must be a random key/);
    expect(() => batchPlan(5, { batch: 2, shuffle: 'random' as never, key: key(0) })).toThrow(
      /batchPlan: shuffle must be 'epoch', 'fixed', 'none' or a function, got "random"/,
    );
  });
});

describe('normalisation', () => {
  it('standardises per column to mean 0, std 1 and inverts exactly enough', () => {
    const data = Float64Array.of(1, 10, 2, 20, 3, 60);
    const s = fitStandardizer(data, 2);
    expect(s.mean).toBeAllclose([2, 30], { rtol: 1e-15, atol: 0 });
    expect(s.std).toBeAllclose([Math.sqrt(2 / 3), Math.sqrt(1400 / 3)], { rtol: 1e-15, atol: 0 });
    const z = standardize(s, data, 2);
    expect(unstandardize(s, z, 2)).toBeAllclose(data, { rtol: 1e-15, atol: 1e-14 });
    expect(fitStandardizer(Float64Array.of(5, 5), 1).std[0]).toBe(1);
    expect(() => fitStandardizer(Float64Array.of(1, Number.NaN), 1)).toThrow(
      'fitStandardizer: data must be finite, got NaN at index 1',
    );
  });
});
