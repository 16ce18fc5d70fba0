import { key, randomBits, split, threefry2x32 } from '@annlab/core';
import { expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { gpuRandomBits } from './threefry.js';

describeGpu('threefry random bits on the GPU', (gpu) => {
  it("equals core's randomBits word for word (partitionable scheme)", async () => {
    for (const k of [key(0), key(42), ...split(key(7), 2)]) {
      for (const n of [1, 2, 3, 1000]) {
        const bits = await gpuRandomBits(gpu(), k, n);
        expect(Array.from(bits)).toEqual(Array.from(randomBits(k, n)));
      }
    }
  });

  it("equals core's randomBits in the legacy scheme, odd and even sizes", async () => {
    for (const n of [1, 5, 6, 777]) {
      const bits = await gpuRandomBits(gpu(), key(3), n, { scheme: 'legacy' });
      expect(Array.from(bits)).toEqual(Array.from(randomBits(key(3), n, { scheme: 'legacy' })));
    }
  });

  it('reproduces the Random123 known answer through the legacy pair layout', async () => {
    // legacy n = 2 hashes the single counter (0, 1); check against core's block function.
    const [y0, y1] = threefry2x32([0, 0], [0, 1]);
    expect(Array.from(await gpuRandomBits(gpu(), key(0), 2, { scheme: 'legacy' }))).toEqual([
      y0,
      y1,
    ]);
  });

  it('validates its arguments', async () => {
    await expect(gpuRandomBits(gpu(), [0, 1] as never, 2)).rejects.toThrow(
      'gpuRandomBits: key must be a key (Uint32Array of length 2), got Array(2)',
    );
    await expect(gpuRandomBits(gpu(), key(0), 0)).rejects.toThrow(
      'gpuRandomBits: n must be an integer in [1, 4294967295], got 0',
    );
  });
});
