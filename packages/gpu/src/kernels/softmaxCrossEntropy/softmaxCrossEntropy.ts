/**
 * Typed wrapper of the softmax cross-entropy kernel: per-row losses and the gradient with respect
 * to the logits, then a sum over rows.
 */
import { ShapeError } from '@annlab/core';
import { assertFiniteNumber, invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches, strideWorkgroups } from '../../dispatch.js';
import { assertCount, packUniform } from '../common.js';
import { prepareSumRows } from '../reduce/reduce.js';
import { makeSoftmaxCrossEntropyShader, SOFTMAX_CE_WORKGROUP } from './softmaxCrossEntropy.wgsl.js';

/** Buffers of a softmax cross-entropy dispatch. */
export interface SoftmaxCrossEntropyBuffers {
  /** rows × classes logits. */
  logits: GPUBuffer;
  /** rows × classes probability (or one-hot) targets. */
  target: GPUBuffer;
  /** Output, rows × classes: scale·∂ℓ/∂z. */
  grad: GPUBuffer;
  /** Output, rows: scale·ℓ per row (sum it for the loss). */
  rowLoss: GPUBuffer;
}

/** Prepares the softmax cross-entropy dispatch on GPU buffers (scale default 1/rows: the mean). */
export async function prepareSoftmaxCrossEntropy(
  gpu: Gpu,
  scope: BufferScope,
  buffers: SoftmaxCrossEntropyBuffers,
  shape: { rows: number; classes: number; scale?: number },
): Promise<Dispatch> {
  const fn = 'prepareSoftmaxCrossEntropy';
  assertCount(fn, 'shape.rows', shape?.rows);
  assertCount(fn, 'shape.classes', shape.classes);
  const scale = shape.scale ?? 1 / shape.rows;
  assertFiniteNumber(fn, 'shape.scale', scale);
  const kernel = await gpu.pipelines.get('softmaxCrossEntropy', makeSoftmaxCrossEntropyShader);
  const params = scope.uniform(
    packUniform([
      ['u32', shape.rows],
      ['u32', shape.classes],
      ['f32', scale],
    ]),
    'softmaxCrossEntropy/params',
  );
  return makeDispatch(
    gpu,
    kernel,
    [params, buffers.logits, buffers.target, buffers.grad, buffers.rowLoss],
    [strideWorkgroups(gpu, shape.rows, SOFTMAX_CE_WORKGROUP)],
  );
}

/**
 * One-hot rows for integer labels, or the probability rows as given: the kernel's target layout.
 * Throws on a label outside [0, classes) or a probability outside [0, 1], naming the index.
 */
export function softmaxTargets(
  fn: string,
  targets: ArrayLike<number>,
  rows: number,
  classes: number,
): Float32Array<ArrayBuffer> {
  if (targets === null || typeof targets !== 'object' || typeof targets.length !== 'number') {
    throw invalidArgument(fn, 'targets', targets, 'an array of labels or probabilities');
  }
  if (targets.length === rows) {
    const out = new Float32Array(rows * classes);
    for (let r = 0; r < rows; r++) {
      const y = targets[r]!;
      if (!(Number.isInteger(y) && y >= 0 && y < classes)) {
        throw invalidArgument(fn, `targets[${r}]`, y, `an integer label in [0, ${classes})`);
      }
      out[r * classes + y] = 1;
    }
    return out;
  }
  if (targets.length !== rows * classes) {
    throw new ShapeError(
      `${fn}: targets must hold one label per row (${rows}) or rows × classes = ${rows * classes} probabilities, got ${targets.length}`,
      fn,
      'targets',
    );
  }
  for (let i = 0; i < targets.length; i++) {
    const y = targets[i]!;
    if (!(y >= 0 && y <= 1))
      throw invalidArgument(fn, `targets[${i}]`, y, 'a probability in [0, 1]');
  }
  return toF32(targets);
}

/**
 * Mean softmax cross-entropy of logits (rows × classes) against integer labels (one per row) or
 * probability rows, and its gradient with respect to the logits, on the GPU (float32).
 *
 * @example
 * ```ts
 * const { loss, grad } = await softmaxCrossEntropyGpu(gpu, [0, 0, 0], [2], 3); // ln 3, [⅓, ⅓, −⅔]
 * ```
 */
export async function softmaxCrossEntropyGpu(
  gpu: Gpu,
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  classes: number,
): Promise<{ loss: number; grad: Float32Array }> {
  const fn = 'softmaxCrossEntropyGpu';
  if (!(Number.isInteger(classes) && classes >= 2)) {
    throw invalidArgument(fn, 'classes', classes, 'an integer ≥ 2');
  }
  if (
    logits === null ||
    typeof logits !== 'object' ||
    !(logits.length > 0) ||
    logits.length % classes !== 0
  ) {
    throw invalidArgument(fn, 'logits', logits, `a non-empty array of rows × ${classes} numbers`);
  }
  const rows = logits.length / classes;
  const y = softmaxTargets(fn, targets, rows, classes);
  const scope = new BufferScope(gpu, fn);
  try {
    const buffers: SoftmaxCrossEntropyBuffers = {
      logits: scope.storage(toF32(logits), 'logits', fn),
      target: scope.storage(y, 'target', fn),
      grad: scope.storage(rows * classes, 'grad', fn),
      rowLoss: scope.storage(rows, 'rowLoss', fn),
    };
    const total = scope.storage(1, 'total', fn);
    const d1 = await prepareSoftmaxCrossEntropy(gpu, scope, buffers, { rows, classes });
    const d2 = await prepareSumRows(
      gpu,
      scope,
      { x: buffers.rowLoss, out: total },
      { rows, cols: 1 },
    );
    await runDispatches(gpu, [d1, d2], 1, fn);
    const [value] = await readF32(gpu, total, 1);
    return { loss: value!, grad: await readF32(gpu, buffers.grad, rows * classes) };
  } finally {
    scope.dispose();
  }
}
