import { foldIn, key, permutation, split } from '@annlab/core';
import { expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { gpuPermutations, permutationRounds } from './permutation.js';

it('uses core’s round count: 1 round up to n = 1625, 2 above', () => {
  expect([1, 2, 1625, 1626, 2_000_000].map(permutationRounds)).toBeAllclose([0, 1, 1, 2, 2], {
    rtol: 0,
    atol: 0,
  });
});

describeGpu('permutation kernel (many keyed permutations)', (gpu) => {
  it("equals core's permutation(foldIn(key, e), n) for every key and epoch", async () => {
    const keys = split(key(3), 5);
    const n = 37;
    const orders = await gpuPermutations(gpu(), keys, n, { epochs: 3, firstEpoch: 4 });
    for (let e = 0; e < 3; e++) {
      for (let k = 0; k < 5; k++) {
        const expected = permutation(foldIn(keys[k]!, 4 + e), n);
        const at = (e * 5 + k) * n;
        // Integers: exact.
        expect(orders.subarray(at, at + n)).toBeAllclose(expected, { rtol: 0, atol: 0 });
      }
    }
  });

  it('equals permutation(key, n) with perEpoch false, for n = 1, 2, 200 and 2-round n = 1700', async () => {
    for (const n of [1, 2, 200, 1700]) {
      const keys = split(key(n), 2);
      const orders = await gpuPermutations(gpu(), keys, n, { perEpoch: false, epochs: 2 });
      for (let j = 0; j < 4; j++) {
        const expected = permutation(keys[j % 2]!, n);
        expect(orders.subarray(j * n, (j + 1) * n)).toBeAllclose(expected, { rtol: 0, atol: 0 });
      }
    }
  });

  it('validates its arguments', async () => {
    await expect(gpuPermutations(gpu(), [], 3)).rejects.toThrow(
      'gpuPermutations: keys must be a non-empty array of keys, got Array(0)',
    );
    await expect(gpuPermutations(gpu(), [key(0)], 0)).rejects.toThrow('gpuPermutations: n must be');
    await expect(gpuPermutations(gpu(), [key(0)], 3, { epochs: 0 })).rejects.toThrow(
      'gpuPermutations: options.epochs must be',
    );
  });
});
