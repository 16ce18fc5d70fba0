/** Typed wrapper of the per-layer gradient-norm kernel (train's `recordGradNorms` on the GPU). */
import { invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches } from '../../dispatch.js';
import { assertCount, packUniform } from '../common.js';
import { makeGradNormShader } from './gradNorm.wgsl.js';

/** Prepares sums[slot] += √(Σ dW² + Σ db²) over a layer's `wCount` weights and `bCount` biases. */
export async function prepareGradNorm(
  gpu: Gpu,
  scope: BufferScope,
  buffers: { dW: GPUBuffer; db: GPUBuffer; sums: GPUBuffer },
  shape: { wCount: number; bCount: number; slot: number },
): Promise<Dispatch> {
  const fn = 'prepareGradNorm';
  assertCount(fn, 'shape.wCount', shape?.wCount);
  assertCount(fn, 'shape.bCount', shape.bCount);
  if (!Number.isInteger(shape.slot) || shape.slot < 0) {
    throw invalidArgument(fn, 'shape.slot', shape.slot, 'an integer ≥ 0');
  }
  const kernel = await gpu.pipelines.get('gradNorm', makeGradNormShader);
  const params = scope.uniform(
    packUniform([
      ['u32', shape.wCount],
      ['u32', shape.bCount],
      ['u32', shape.slot],
    ]),
    'gradNorm/params',
  );
  return makeDispatch(gpu, kernel, [params, buffers.dW, buffers.db, buffers.sums], [1]);
}

/**
 * `start + √(Σ dW² + Σ db²)` on the GPU (float32): one layer's gradient norm added to a sum.
 *
 * @example
 * ```ts
 * await layerGradNorm(gpu, [3], [4]); // 5
 * ```
 */
export async function layerGradNorm(
  gpu: Gpu,
  dW: ArrayLike<number>,
  db: ArrayLike<number>,
  start = 0,
): Promise<number> {
  const fn = 'layerGradNorm';
  for (const [name, a] of [
    ['dW', dW],
    ['db', db],
  ] as const) {
    if (a === null || typeof a !== 'object' || !(a.length > 0)) {
      throw invalidArgument(fn, name, a, 'a non-empty array of numbers');
    }
  }
  const scope = new BufferScope(gpu, fn);
  try {
    const w = scope.storage(toF32(dW), 'dW', fn);
    const b = scope.storage(toF32(db), 'db', fn);
    const sums = scope.storage(Float32Array.of(0, start), 'sums', fn);
    const d = await prepareGradNorm(
      gpu,
      scope,
      { dW: w, db: b, sums },
      { wCount: dW.length, bCount: db.length, slot: 1 },
    );
    await runDispatches(gpu, [d], 1, fn);
    return (await readF32(gpu, sums, 2))[1]!;
  } finally {
    scope.dispose();
  }
}
