/**
 * Typed wrapper of the tiled matmul kernel: prepared dispatches on GPU buffers for training loops,
 * a one-shot `matmul` on CPU arrays, and `timeMatmul` for benchmarks.
 */
import { invalidArgument } from '@annlab/core';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches } from '../../dispatch.js';
import { assertCount, assertLength, packUniform } from '../common.js';
import { MATMUL_TILE, makeMatmulShader } from './matmul.wgsl.js';

/** Shapes of C[m×n] = op(A)[m×k] · op(B)[k×n]. */
export interface MatmulShape {
  m: number;
  n: number;
  k: number;
  /** A is stored k×m and used transposed (default false). */
  transA?: boolean;
  /** B is stored n×k and used transposed (default false). */
  transB?: boolean;
}

function checkShape(fn: string, shape: MatmulShape): void {
  if (shape === null || typeof shape !== 'object') {
    throw invalidArgument(fn, 'shape', shape, 'an object { m, n, k }');
  }
  assertCount(fn, 'shape.m', shape.m);
  assertCount(fn, 'shape.n', shape.n);
  assertCount(fn, 'shape.k', shape.k);
}

/**
 * Prepares C = op(A)·op(B) on existing GPU buffers (float32, row-major); record the returned
 * dispatch with `runDispatches` or `encodeDispatches`. The small uniform buffer belongs to `scope`.
 */
export async function prepareMatmul(
  gpu: Gpu,
  scope: BufferScope,
  buffers: { a: GPUBuffer; b: GPUBuffer; c: GPUBuffer },
  shape: MatmulShape,
): Promise<Dispatch> {
  checkShape('prepareMatmul', shape);
  const transA = shape.transA ?? false;
  const transB = shape.transB ?? false;
  const key = `matmul(${transA ? 'T' : 'N'}${transB ? 'T' : 'N'})`;
  const kernel = await gpu.pipelines.get(key, () => makeMatmulShader({ transA, transB }));
  const dims = scope.uniform(
    packUniform([
      ['u32', shape.m],
      ['u32', shape.n],
      ['u32', shape.k],
    ]),
    `${key}/dims`,
  );
  return makeDispatch(
    gpu,
    kernel,
    [dims, buffers.a, buffers.b, buffers.c],
    [Math.ceil(shape.n / MATMUL_TILE), Math.ceil(shape.m / MATMUL_TILE)],
  );
}

/**
 * C = op(A)·op(B) for CPU arrays, computed on the GPU in float32; returns C (m×n, row-major).
 * @example
 * ```ts
 * const c = await matmul(gpu, [1, 2, 3, 4], [5, 6, 7, 8], { m: 2, n: 2, k: 2 }); // [19, 22, 43, 50]
 * ```
 */
export async function matmul(
  gpu: Gpu,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  shape: MatmulShape,
): Promise<Float32Array> {
  checkShape('matmul', shape);
  assertLength('matmul', 'a', a, shape.m * shape.k, 'm·k');
  assertLength('matmul', 'b', b, shape.k * shape.n, 'k·n');
  const scope = new BufferScope(gpu, 'matmul');
  try {
    const c = scope.storage(shape.m * shape.n, 'c', 'matmul');
    const d = await prepareMatmul(
      gpu,
      scope,
      { a: scope.storage(toF32(a), 'a', 'matmul'), b: scope.storage(toF32(b), 'b', 'matmul'), c },
      shape,
    );
    await runDispatches(gpu, [d], 1, 'matmul');
    return await readF32(gpu, c, shape.m * shape.n);
  } finally {
    scope.dispose();
  }
}

/** Result of {@link timeMatmul}. */
export interface MatmulTiming {
  /** Median seconds per multiply (GPU synchronised before each clock stop). */
  seconds: number;
  /** 2·m·n·k / seconds / 1e9. */
  gflops: number;
}

/**
 * Times C = A·B on random float32 data: one warm-up, then the median of `runs` timed batches of
 * `repeat` multiplies each, every batch one submission awaited with `onSubmittedWorkDone`.
 */
export async function timeMatmul(
  gpu: Gpu,
  shape: MatmulShape,
  options: { runs?: number; repeat?: number } = {},
): Promise<MatmulTiming> {
  checkShape('timeMatmul', shape);
  const runs = options.runs ?? 3;
  const repeat = options.repeat ?? 1;
  assertCount('timeMatmul', 'options.runs', runs);
  assertCount('timeMatmul', 'options.repeat', repeat);
  const scope = new BufferScope(gpu, 'timeMatmul');
  try {
    const fill = (n: number) => {
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
      return x;
    };
    const d = await prepareMatmul(
      gpu,
      scope,
      {
        a: scope.storage(fill(shape.m * shape.k), 'a', 'timeMatmul'),
        b: scope.storage(fill(shape.k * shape.n), 'b', 'timeMatmul'),
        c: scope.storage(shape.m * shape.n, 'c', 'timeMatmul'),
      },
      shape,
    );
    await runDispatches(gpu, [d], 1, 'timeMatmul');
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await runDispatches(gpu, [d], repeat, 'timeMatmul');
      times.push((performance.now() - t0) / 1000 / repeat);
    }
    times.sort((x, y) => x - y);
    const seconds = times[Math.floor(times.length / 2)]!;
    return { seconds, gflops: (2 * shape.m * shape.n * shape.k) / seconds / 1e9 };
  } finally {
    scope.dispose();
  }
}
