/**
 * Runs inside headless Chromium (vitest browser mode, the `chromium` project of vitest.config.ts):
 * WebGPU comes from the browser's own `navigator.gpu` (SwiftShader with `--disable-gpu`), not Dawn.
 */
import { matmul as cpuMatmul, gelu, matrix, tanh } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { biasActivation } from '../kernels/biasActivation/biasActivation.js';
import { matmul } from '../kernels/matmul/matmul.js';
import { describeGpu } from '../test-helpers/gpu.js';

/** Rounds to float32 so the f64 reference sees exactly the GPU's inputs. */
const f32 = (x: ArrayLike<number>) => Float64Array.from(Float32Array.from(x));

describeGpu("Chromium's navigator.gpu", (gpu) => {
  it('is the browser WebGPU, not the webgpu npm package', () => {
    expect(typeof navigator.gpu).toBe('object');
    expect(gpu().adapter.source).toBe('navigator.gpu');
  });

  it("matmul then bias + tanh match core's float64 result", async () => {
    const [m, k, n] = [37, 20, 9];
    const rnd = seeded(41);
    const a = f32(rnd.array(m * k, -1, 1));
    const b = f32(rnd.array(k * n, -1, 1));
    const bias = f32(rnd.array(n, -1, 1));
    const z = await matmul(gpu(), a, b, { m, n, k });
    const expectedZ = cpuMatmul(matrix(m, k, a), matrix(k, n, b)).data;
    // float32 accumulation of k = 20 products of magnitude ≤ 1: error ≲ k·2⁻²⁴.
    expect(z).toBeAllclose(expectedZ, { rtol: 1e-5, atol: 2e-7 * k });

    const out = await biasActivation(gpu(), 'tanh', z, { rows: m, cols: n }, bias);
    const expectedA = expectedZ.map((v, i) => tanh(v + bias[i % n]!));
    // tanh is 1-Lipschitz: the matmul error carries over, plus a few float32 ulps of tanh itself.
    expect(out.a).toBeAllclose(expectedA, { rtol: 1e-5, atol: 2e-7 * k + 1e-6 });
  });

  it("exact GELU with bias matches core's erf-based gelu", async () => {
    const rnd = seeded(42);
    const z = f32(rnd.array(64, -6, 6));
    const bias = f32(rnd.array(8, -1, 1));
    const out = await biasActivation(gpu(), 'gelu', z, { rows: 8, cols: 8 }, bias);
    const expected = Array.from(z, (v, i) => gelu(Math.fround(v + bias[i % 8]!)));
    // Abramowitz–Stegun 7.1.26 erf (|error| ≤ 1.5e-7) evaluated in float32.
    expect(out.a).toBeAllclose(expected, { rtol: 1e-5, atol: 1e-6 });
  });
});
