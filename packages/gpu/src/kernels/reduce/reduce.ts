/**
 * Typed wrapper of the column-sum reduction.
 */
import { assertFiniteNumber, invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches } from '../../dispatch.js';
import { assertCount, assertLength, packUniform } from '../common.js';
import { makeSumRowsShader } from './reduce.wgsl.js';

/** Prepares out[c] = scale·Σᵣ x[r, c] for a rows×cols matrix on GPU buffers. */
export async function prepareSumRows(
  gpu: Gpu,
  scope: BufferScope,
  buffers: { x: GPUBuffer; out: GPUBuffer },
  shape: { rows: number; cols: number; scale?: number },
): Promise<Dispatch> {
  const fn = 'prepareSumRows';
  assertCount(fn, 'shape.rows', shape?.rows);
  assertCount(fn, 'shape.cols', shape?.cols);
  const scale = shape.scale ?? 1;
  assertFiniteNumber(fn, 'shape.scale', scale);
  const kernel = await gpu.pipelines.get('sumRows', makeSumRowsShader);
  const params = scope.uniform(
    packUniform([
      ['u32', shape.rows],
      ['u32', shape.cols],
      ['f32', scale],
    ]),
    'sumRows/params',
  );
  return makeDispatch(gpu, kernel, [params, buffers.x, buffers.out], [shape.cols]);
}

/**
 * Column sums of a rows×cols matrix on the GPU (times `scale`); `sumRows(gpu, x, x.length, 1)` is
 * the sum of an array.
 * @example
 * ```ts
 * await sumRows(gpu, [1, 2, 3, 4, 5, 6], 3, 2); // [9, 12]
 * ```
 */
export async function sumRows(
  gpu: Gpu,
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  scale = 1,
): Promise<Float32Array> {
  const fn = 'sumRows';
  assertCount(fn, 'rows', rows);
  assertCount(fn, 'cols', cols);
  assertLength(fn, 'x', x, rows * cols, 'rows·cols');
  if (typeof scale !== 'number' || !Number.isFinite(scale)) {
    throw invalidArgument(fn, 'scale', scale, 'a finite number');
  }
  const scope = new BufferScope(gpu, fn);
  try {
    const out = scope.storage(cols, 'out', fn);
    const d = await prepareSumRows(
      gpu,
      scope,
      { x: scope.storage(toF32(x), 'x', fn), out },
      { rows, cols, scale },
    );
    await runDispatches(gpu, [d], 1, fn);
    return await readF32(gpu, out, cols);
  } finally {
    scope.dispose();
  }
}
