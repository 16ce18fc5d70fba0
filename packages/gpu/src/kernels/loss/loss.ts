/**
 * Typed wrapper of the loss kernel: per-element losses and gradients, then a sum.
 */
import { assertFiniteNumber, invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches, strideWorkgroups } from '../../dispatch.js';
import { ELEMENTWISE_WORKGROUP } from '../biasActivation/biasActivation.wgsl.js';
import { assertCount, assertLength, packUniform } from '../common.js';
import { prepareSumRows } from '../reduce/reduce.js';
import { GPU_LOSS_NAMES, type GpuLossName, makeLossShader } from './loss.wgsl.js';

/** Throws unless `loss` is a supported loss name. */
export function assertLossName(
  fn: string,
  arg: string,
  loss: unknown,
): asserts loss is GpuLossName {
  if (!GPU_LOSS_NAMES.includes(loss as GpuLossName)) {
    throw invalidArgument(fn, arg, loss, `one of ${GPU_LOSS_NAMES.join(', ')}`);
  }
}

/**
 * The default scale of a loss over `count` elements: 1/count for the means (`mse`,
 * `bceWithLogits`), 1 for the sums (`halfSquaredError` = ½Σd², `sse` = Σd²).
 */
export function defaultLossScale(loss: GpuLossName, count: number): number {
  return loss === 'mse' || loss === 'bceWithLogits' ? 1 / count : 1;
}

/** Buffers of a loss dispatch (all `count` long). */
export interface LossBuffers {
  prediction: GPUBuffer;
  target: GPUBuffer;
  /** Output: scale·∂ℓ/∂ŷ per element. */
  grad: GPUBuffer;
  /** Output: scale·ℓ per element (sum it for the loss). */
  elementLoss: GPUBuffer;
}

/** Prepares the elementwise loss/gradient dispatch on GPU buffers. */
export async function prepareLoss(
  gpu: Gpu,
  scope: BufferScope,
  loss: GpuLossName,
  buffers: LossBuffers,
  shape: { count: number; scale?: number },
): Promise<Dispatch> {
  const fn = 'prepareLoss';
  assertLossName(fn, 'loss', loss);
  assertCount(fn, 'shape.count', shape?.count);
  const scale = shape.scale ?? defaultLossScale(loss, shape.count);
  assertFiniteNumber(fn, 'shape.scale', scale);
  const kernel = await gpu.pipelines.get(`loss(${loss})`, () => makeLossShader(loss));
  const params = scope.uniform(
    packUniform([
      ['u32', shape.count],
      ['f32', scale],
    ]),
    `loss(${loss})/params`,
  );
  return makeDispatch(
    gpu,
    kernel,
    [params, buffers.prediction, buffers.target, buffers.grad, buffers.elementLoss],
    [strideWorkgroups(gpu, shape.count, ELEMENTWISE_WORKGROUP)],
  );
}

/**
 * The loss and its gradient with respect to the predictions, on the GPU.
 * @example
 * ```ts
 * const { loss, grad } = await lossAndGradient(gpu, 'mse', [1, 2], [0, 0]); // loss 2.5, grad [1, 2]
 * ```
 */
export async function lossAndGradient(
  gpu: Gpu,
  loss: GpuLossName,
  prediction: ArrayLike<number>,
  target: ArrayLike<number>,
  options: { scale?: number } = {},
): Promise<{ loss: number; grad: Float32Array }> {
  const fn = 'lossAndGradient';
  assertLossName(fn, 'loss', loss);
  if (prediction === null || typeof prediction !== 'object' || !(prediction.length > 0)) {
    throw invalidArgument(fn, 'prediction', prediction, 'a non-empty array of numbers');
  }
  const count = prediction.length;
  assertLength(fn, 'target', target, count, 'prediction.length');
  const scope = new BufferScope(gpu, fn);
  try {
    const buffers: LossBuffers = {
      prediction: scope.storage(toF32(prediction), 'prediction', fn),
      target: scope.storage(toF32(target), 'target', fn),
      grad: scope.storage(count, 'grad', fn),
      elementLoss: scope.storage(count, 'elementLoss', fn),
    };
    const total = scope.storage(1, 'total', fn);
    const shape = options.scale === undefined ? { count } : { count, scale: options.scale };
    const d1 = await prepareLoss(gpu, scope, loss, buffers, shape);
    const d2 = await prepareSumRows(
      gpu,
      scope,
      { x: buffers.elementLoss, out: total },
      { rows: count, cols: 1 },
    );
    await runDispatches(gpu, [d1, d2], 1, fn);
    const [value] = await readF32(gpu, total, 1);
    return { loss: value!, grad: await readF32(gpu, buffers.grad, count) };
  } finally {
    scope.dispose();
  }
}
