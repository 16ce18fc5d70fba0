import {
  type ActivationSpec,
  activation,
  matmul as cpuMatmul,
  matrix,
  ShapeError,
  ValidationError,
} from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import { runDispatches } from '../../dispatch.js';
import { describeGpu } from '../../test-helpers/gpu.js';
import {
  type MatmulBuffers,
  type MatmulOptions,
  type MatmulShape,
  matmul,
  prepareMatmul,
  timeMatmul,
} from './matmul.js';
import { MATMUL_CPU_TILE } from './matmul.wgsl.js';

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

  // Sizes straddle the 32×32 workgroup tile and the 4-wide inner slab, so edge tiles are exercised.
  for (const [m, n, k] of [
    [1, 1, 1],
    [65, 70, 17],
    [130, 33, 200],
    // A single row block (64×1 workgroups) and a single column block (1×64 workgroups).
    [3, 70, 33],
    [130, 3, 20],
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

  // Multiples of 4 take the vec4 paths; 36 and 68 rows, 44 and 40 columns leave partial tiles, and
  // k = 18 leaves a partial slab of the inner dimension.
  for (const [m, n, k] of [
    [36, 44, 20],
    [68, 40, 18],
  ] as const) {
    for (const [rows, colGroups] of [
      [4, 1],
      [4, 2],
      [8, 1],
      [8, 2],
      // The CPU-adapter tile (16×16 per invocation): partial tiles in both directions.
      [16, 4],
    ] as const) {
      // One shape suffices for the big tile (each of its shaders takes ~1.5 s to compile here).
      if (rows === 16 && m !== 36) continue;
      it(`matches core for ${m}×${k}·${k}×${n}, all transposes (rows=${rows}, colGroups=${colGroups})`, async () => {
        const rnd = seeded(m + n + k + rows);
        const a = f32(rnd.array(m * k, -1, 1));
        const b = f32(rnd.array(k * n, -1, 1));
        const expected = cpuMatmul(matrix(m, k, a), matrix(k, n, b)).data;
        const rowSumsA = Float64Array.from({ length: m }, (_, r) => {
          let t = 0;
          for (let j = 0; j < k; j++) t += a[r * k + j]!;
          return t;
        });
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const c = await run(
              transA ? transpose(a, m, k) : a,
              transB ? transpose(b, k, n) : b,
              { m, n, k, transA, transB },
              { rows, colGroups },
              { rowSums: true },
            );
            expect(c.c).toBeAllclose(expected, { rtol: 1e-5, atol: 2e-7 * k });
            // The fused row sums of op(A) (the bias gradient of a dense layer).
            expect(c.rowSums).toBeAllclose(rowSumsA, { rtol: 1e-5, atol: 2e-7 * k });
          }
        }
      });
    }
  }

  /** Runs one prepared matmul with optional epilogue inputs; returns C and the epilogue's output. */
  async function run(
    a: Float64Array,
    b: Float64Array,
    shape: MatmulShape,
    options: MatmulOptions,
    extra: { bias?: Float64Array; z?: Float64Array; rowSums?: boolean } = {},
  ): Promise<{ c: Float32Array; out: Float32Array; rowSums: Float32Array }> {
    const g = gpu();
    const scope = new BufferScope(g, 'test');
    try {
      const size = shape.m * shape.n;
      const buffers: MatmulBuffers = {
        a: scope.storage(toF32(a), 'a'),
        b: scope.storage(toF32(b), 'b'),
        c: scope.storage(size, 'c'),
        out: scope.storage(size, 'out'),
      };
      if (extra.bias) buffers.bias = scope.storage(toF32(extra.bias), 'bias');
      if (extra.z) buffers.z = scope.storage(toF32(extra.z), 'z');
      if (extra.rowSums) buffers.rowSums = scope.storage(shape.m, 'rowSums');
      const d = await prepareMatmul(g, scope, buffers, shape, options);
      await runDispatches(g, [d]);
      return {
        c: await readF32(g, buffers.c, size),
        out: await readF32(g, buffers.out!, size),
        rowSums: buffers.rowSums ? await readF32(g, buffers.rowSums, shape.m) : new Float32Array(),
      };
    } finally {
      scope.dispose();
    }
  }

  // n = 44 stores vec4s, n = 13 scalars.
  for (const [m, n, k] of [
    [20, 44, 12],
    [9, 13, 7],
  ] as const) {
    for (const spec of ['relu', 'tanh', { name: 'elu', alpha: 0.5 }] as ActivationSpec[]) {
      const act = activation(spec);
      it(`fuses bias + ${act.label} (Z = X·Wᵀ + b, A = f(Z)) and f′ backward for ${m}×${n}×${k}`, async () => {
        const rnd = seeded(m * n + k);
        const x = f32(rnd.array(m * k, -1, 1));
        const w = f32(rnd.array(n * k, -1, 1)); // n×k, used transposed
        const bias = f32(rnd.array(n, -1, 1));
        const prod = cpuMatmul(matrix(m, k, x), matrix(k, n, transpose(w, n, k))).data;
        const z = prod.map((v, i) => v + bias[i % n]!);
        const fwd = await run(
          x,
          w,
          { m, n, k, transB: true },
          { epilogue: { kind: 'biasActivation', activation: spec } },
          { bias },
        );
        expect(fwd.c).toBeAllclose(z, { rtol: 1e-5, atol: 1e-6 });
        // f evaluated in float32 at the float32 Z: compare against f64 f at the GPU's own Z.
        expect(fwd.out).toBeAllclose(
          Float64Array.from(fwd.c, (v) => act.f(v)),
          { rtol: 1e-5, atol: 1e-6 },
        );
        const zIn = f32(rnd.array(m * n, -2, 2));
        const bwd = await run(
          x,
          w,
          { m, n, k, transB: true },
          { epilogue: { kind: 'activationDerivative', activation: spec } },
          { z: zIn },
        );
        expect(bwd.c).toBeAllclose(
          prod.map((v, i) => v * act.df(zIn[i]!)),
          { rtol: 1e-5, atol: 1e-6 },
        );
      });
    }
  }

  it('fuses both epilogues with the CPU-adapter tile (16×16 per invocation, partial tiles)', async () => {
    const [m, n, k] = [40, 52, 12];
    // relu keeps the two 16×16-tile compiles short (~3 s each on SwiftShader); the activations
    // themselves are checked with the default tile above.
    const spec: ActivationSpec = 'relu';
    const act = activation(spec);
    const rnd = seeded(4052);
    const x = f32(rnd.array(m * k, -1, 1));
    const w = f32(rnd.array(n * k, -1, 1));
    const bias = f32(rnd.array(n, -1, 1));
    const prod = cpuMatmul(matrix(m, k, x), matrix(k, n, transpose(w, n, k))).data;
    const tile = { rows: MATMUL_CPU_TILE.rows, colGroups: MATMUL_CPU_TILE.colGroups };
    const shape = { m, n, k, transB: true };
    const fwd = await run(
      x,
      w,
      shape,
      { ...tile, epilogue: { kind: 'biasActivation', activation: spec } },
      { bias },
    );
    expect(fwd.c).toBeAllclose(
      prod.map((v, i) => v + bias[i % n]!),
      { rtol: 1e-5, atol: 1e-6 },
    );
    expect(fwd.out).toBeAllclose(
      Float64Array.from(fwd.c, (v) => act.f(v)),
      { rtol: 1e-5, atol: 1e-6 },
    );
    const zIn = f32(rnd.array(m * n, -3, 3));
    const bwd = await run(
      x,
      w,
      shape,
      { ...tile, epilogue: { kind: 'activationDerivative', activation: spec } },
      { z: zIn },
    );
    expect(bwd.c).toBeAllclose(
      prod.map((v, i) => v * act.df(zIn[i]!)),
      { rtol: 1e-5, atol: 1e-6 },
    );
  });

  it('validates the epilogue buffers and options, naming the argument', async () => {
    const g = gpu();
    const scope = new BufferScope(g, 'test');
    try {
      const buf = scope.storage(4, 'x');
      const shape = { m: 2, n: 2, k: 1 };
      await expect(
        prepareMatmul(g, scope, { a: buf, b: buf, c: buf, out: buf }, shape, {
          epilogue: { kind: 'biasActivation', activation: 'relu' },
        }),
      ).rejects.toThrow('prepareMatmul: buffers.bias must be a GPUBuffer, got undefined');
      await expect(
        prepareMatmul(g, scope, { a: buf, b: buf, c: buf }, shape, {
          epilogue: { kind: 'activationDerivative', activation: 'tanh' },
        }),
      ).rejects.toThrow('prepareMatmul: buffers.z must be a GPUBuffer, got undefined');
      await expect(
        prepareMatmul(g, scope, { a: buf, b: buf, c: buf }, shape, { rows: 5 }),
      ).rejects.toThrow('prepareMatmul: options.rows must be 4, 8 or 16, got 5');
      await expect(
        prepareMatmul(g, scope, { a: buf, b: buf, c: buf }, shape, { colGroups: 3 }),
      ).rejects.toThrow('prepareMatmul: options.colGroups must be 1, 2 or 4, got 3');
    } finally {
      scope.dispose();
    }
  });

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
      // 8×8 workgroups of 8 rows per invocation: 64 rows per workgroup.
      const rows = (g.limits.maxComputeWorkgroupsPerDimension + 1) * 64;
      await expect(
        prepareMatmul(g, scope, { a: buf, b: buf, c: buf }, { m: rows, n: 8, k: 1 }),
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
