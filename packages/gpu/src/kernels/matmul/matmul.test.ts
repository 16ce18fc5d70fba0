import { matmul as cpuMatmul, matrix, ShapeError, ValidationError } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { BufferScope } from '../../buffers.js';
import { describeGpu } from '../../test-helpers/gpu.js';
import { matmul, prepareMatmul, timeMatmul } from './matmul.js';

/** Rounds to float32 so the f64 reference sees exactly the GPU's inputs. */
const f32 = (x: Float64Array) => Float64Array.from(Float32Array.from(x));

function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(x.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j]!;
  return t;
}

describeGpu('matmul kernel', (gpu) => {
  it('multiplies a small known product exactly', async () => {
    const c = await matmul(gpu(), [1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], { m: 2, n: 2, k: 3 });
    expect(c).toBeAllclose([58, 64, 139, 154], { rtol: 0, atol: 0 });
  });

  // Sizes straddle the 64×64 tile and the 16-wide inner slab, so edge tiles are exercised.
  for (const [m, n, k] of [
    [1, 1, 1],
    [65, 70, 17],
    [130, 33, 200],
  ] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`matches core's f64 matmul for ${m}×${k}·${k}×${n} (transA=${transA}, transB=${transB})`, async () => {
          const rnd = seeded(m * 1000 + n * 10 + k + (transA ? 7 : 0) + (transB ? 13 : 0));
          const a = f32(rnd.array(m * k, -1, 1));
          const b = f32(rnd.array(k * n, -1, 1));
          const expected = cpuMatmul(matrix(m, k, a), matrix(k, n, b)).data;
          const c = await matmul(
            gpu(),
            transA ? transpose(a, m, k) : a,
            transB ? transpose(b, k, n) : b,
            { m, n, k, transA, transB },
          );
          // float32 accumulation of k products of magnitude ≤ 1: error ≲ k·2⁻²⁴.
          expect(c).toBeAllclose(expected, { rtol: 1e-5, atol: 2e-7 * k });
        });
      }
    }
  }

  it('validates shapes and lengths with messages naming the argument', async () => {
    await expect(matmul(gpu(), [1, 2], [1, 2], { m: 2, n: 2, k: 1.5 })).rejects.toThrow(
      'matmul: shape.k must be an integer ≥ 1, got 1.5',
    );
    await expect(matmul(gpu(), [1, 2, 3], [1, 2], { m: 2, n: 1, k: 2 })).rejects.toThrow(
      new ShapeError('matmul: a must have m·k = 4 elements, got 3', 'matmul', 'a'),
    );
    await expect(matmul(gpu(), [1], [1], { m: 0, n: 1, k: 1 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('refuses grids beyond the device limit instead of dispatching them', async () => {
    const g = gpu();
    const scope = new BufferScope(g, 'test');
    try {
      const buf = scope.storage(4, 'x');
      const rows = (g.limits.maxComputeWorkgroupsPerDimension + 1) * 64;
      await expect(
        prepareMatmul(g, scope, { a: buf, b: buf, c: buf }, { m: rows, n: 1, k: 1 }),
      ).rejects.toThrow(/workgroups, beyond this device's 65535 per dimension; split the work/);
    } finally {
      scope.dispose();
    }
  });

  it('times a multiply for the benchmarks', async () => {
    const t = await timeMatmul(gpu(), { m: 128, n: 128, k: 128 }, { runs: 1, repeat: 1 });
    expect(t.seconds).toBeGreaterThan(0);
    expect(t.gflops).toBeGreaterThan(0);
  });
});
