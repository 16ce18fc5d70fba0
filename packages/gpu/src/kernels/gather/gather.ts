/**
 * Typed wrapper of the row gather (mini-batch copy).
 */
import type { BufferScope } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, strideWorkgroups } from '../../dispatch.js';
import { ELEMENTWISE_WORKGROUP } from '../biasActivation/biasActivation.wgsl.js';
import { assertCount, packUniform } from '../common.js';
import { makeGatherShader } from './gather.wgsl.js';

/** Prepares out[r, ·] = src[order[offset + r], ·] for r < rows (cols values per row). */
export async function prepareGather(
  gpu: Gpu,
  scope: BufferScope,
  buffers: { order: GPUBuffer; src: GPUBuffer; out: GPUBuffer },
  shape: { rows: number; cols: number; offset: number },
): Promise<Dispatch> {
  const fn = 'prepareGather';
  assertCount(fn, 'shape.rows', shape?.rows);
  assertCount(fn, 'shape.cols', shape.cols);
  if (!(Number.isInteger(shape.offset) && shape.offset >= 0)) {
    assertCount(fn, 'shape.offset', shape.offset);
  }
  const kernel = await gpu.pipelines.get('gather', makeGatherShader);
  const count = shape.rows * shape.cols;
  const params = scope.uniform(
    packUniform([
      ['u32', count],
      ['u32', shape.cols],
      ['u32', shape.offset],
    ]),
    'gather/params',
  );
  return makeDispatch(
    gpu,
    kernel,
    [params, buffers.order, buffers.src, buffers.out],
    [strideWorkgroups(gpu, count, ELEMENTWISE_WORKGROUP)],
  );
}
