/** Typed wrapper of the weight-penalty kernel (L1/L2 gradient added to a weight gradient). */
import { invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches, strideWorkgroups } from '../../dispatch.js';
import { ELEMENTWISE_WORKGROUP } from '../biasActivation/biasActivation.wgsl.js';
import { assertCount, assertLength, packUniform } from '../common.js';
import { makeWeightPenaltyShader } from './weightPenalty.wgsl.js';

/** L1 and L2 penalty rates: l1·Σ|w| + l2·Σw². */
export interface WeightPenalty {
  readonly l1: number;
  readonly l2: number;
}

/** Throws unless both rates are finite numbers ≥ 0. */
export function assertWeightPenalty(
  fn: string,
  arg: string,
  r: unknown,
): asserts r is WeightPenalty {
  const p = r as Partial<WeightPenalty> | null;
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (p === null || typeof p !== 'object' || !ok(p.l1) || !ok(p.l2)) {
    throw invalidArgument(fn, arg, r, '{ l1, l2 } with finite rates ≥ 0');
  }
}

/** Prepares G += l1·sign(W) + 2·l2·W over `count` weights. */
export async function prepareWeightPenalty(
  gpu: Gpu,
  scope: BufferScope,
  buffers: { weights: GPUBuffer; grad: GPUBuffer },
  shape: { count: number },
  penalty: WeightPenalty,
): Promise<Dispatch> {
  const fn = 'prepareWeightPenalty';
  assertCount(fn, 'shape.count', shape?.count);
  assertWeightPenalty(fn, 'penalty', penalty);
  const kernel = await gpu.pipelines.get('weightPenalty', makeWeightPenaltyShader);
  const params = scope.uniform(
    packUniform([
      ['u32', shape.count],
      ['f32', penalty.l1],
      ['f32', 2 * penalty.l2],
    ]),
    'weightPenalty/params',
  );
  return makeDispatch(
    gpu,
    kernel,
    [params, buffers.weights, buffers.grad],
    [strideWorkgroups(gpu, shape.count, ELEMENTWISE_WORKGROUP)],
  );
}

/**
 * `grad` plus the penalty's gradient l1·sign(w) + 2·l2·w, on the GPU (float32).
 *
 * @example
 * ```ts
 * await weightPenaltyGradient(gpu, [1, -2, 0], [0, 0, 0], { l1: 0.1, l2: 0.5 }); // [1.1, −2.1, 0]
 * ```
 */
export async function weightPenaltyGradient(
  gpu: Gpu,
  weights: ArrayLike<number>,
  grad: ArrayLike<number>,
  penalty: WeightPenalty,
): Promise<Float32Array> {
  const fn = 'weightPenaltyGradient';
  if (weights === null || typeof weights !== 'object' || !(weights.length > 0)) {
    throw invalidArgument(fn, 'weights', weights, 'a non-empty array of numbers');
  }
  const count = weights.length;
  assertLength(fn, 'grad', grad, count, 'weights.length');
  assertWeightPenalty(fn, 'penalty', penalty);
  const scope = new BufferScope(gpu, fn);
  try {
    const w = scope.storage(toF32(weights), 'weights', fn);
    const g = scope.storage(toF32(grad), 'grad', fn);
    const d = await prepareWeightPenalty(gpu, scope, { weights: w, grad: g }, { count }, penalty);
    await runDispatches(gpu, [d], 1, fn);
    return await readF32(gpu, g, count);
  } finally {
    scope.dispose();
  }
}
