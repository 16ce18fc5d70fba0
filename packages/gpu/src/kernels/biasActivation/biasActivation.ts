/**
 * Typed wrapper of the fused bias + activation kernel (see `biasActivation.wgsl.ts`).
 */
import { type ActivationSpec, activation } from '@annlab/core';
import { invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches, strideWorkgroups } from '../../dispatch.js';
import { assertCount, assertLength, packUniform } from '../common.js';
import { activationKey } from './activations.wgsl.js';
import {
  type BiasActivationMode,
  ELEMENTWISE_WORKGROUP,
  makeBiasActivationShader,
} from './biasActivation.wgsl.js';

/** Buffers of a bias/activation dispatch; which are needed depends on the mode. */
export interface BiasActivationBuffers {
  /** Pre-activations (rows×cols); in `forward` mode with `bias` the bias is added in place. */
  z: GPUBuffer;
  /** `forward` with bias: the per-column bias (cols). */
  bias?: GPUBuffer;
  /** `backward`: the upstream gradient ∂L/∂A (rows×cols). */
  grad?: GPUBuffer;
  /** Output: A (`forward`), f'(Z) (`derivative`) or ∂L/∂Z (`backward`). */
  out: GPUBuffer;
}

/** Prepares one bias/activation dispatch over a rows×cols matrix on GPU buffers. */
export async function prepareBiasActivation(
  gpu: Gpu,
  scope: BufferScope,
  spec: ActivationSpec,
  mode: BiasActivationMode,
  buffers: BiasActivationBuffers,
  shape: { rows: number; cols: number },
): Promise<Dispatch> {
  const fn = 'prepareBiasActivation';
  activation(spec); // validates the spec, throwing core's ValidationError
  if (mode !== 'forward' && mode !== 'derivative' && mode !== 'backward') {
    throw invalidArgument(fn, 'mode', mode, "'forward', 'derivative' or 'backward'");
  }
  assertCount(fn, 'shape.rows', shape?.rows);
  assertCount(fn, 'shape.cols', shape?.cols);
  const bias = mode === 'forward' && buffers.bias !== undefined;
  if (mode === 'backward' && !buffers.grad) {
    throw invalidArgument(fn, 'buffers.grad', buffers.grad, "a GPUBuffer in 'backward' mode");
  }
  const key = `biasActivation(${activationKey(spec)},${mode}${bias ? ',bias' : ''})`;
  const kernel = await gpu.pipelines.get(key, () =>
    makeBiasActivationShader({ activation: spec, mode, bias }),
  );
  const count = shape.rows * shape.cols;
  const dims = scope.uniform(
    packUniform([
      ['u32', count],
      ['u32', shape.cols],
    ]),
    `${key}/dims`,
  );
  const list = bias
    ? [dims, buffers.z, buffers.bias!, buffers.out]
    : mode === 'backward'
      ? [dims, buffers.z, buffers.grad!, buffers.out]
      : [dims, buffers.z, buffers.out];
  return makeDispatch(gpu, kernel, list, [strideWorkgroups(gpu, count, ELEMENTWISE_WORKGROUP)]);
}

/** Result of {@link biasActivation}. */
export interface BiasActivationResult {
  /** Z + b (rows×cols). */
  z: Float32Array;
  /** f(Z + b). */
  a: Float32Array;
}

/**
 * A = f(Z + b) on the GPU for CPU arrays (b broadcast over rows; omit it for A = f(Z)).
 * @example
 * ```ts
 * const { a } = await biasActivation(gpu, 'relu', [-1, 2, 3, -4], { rows: 2, cols: 2 }, [1, 0]);
 * // a = [0, 2, 4, 0]
 * ```
 */
export async function biasActivation(
  gpu: Gpu,
  spec: ActivationSpec,
  z: ArrayLike<number>,
  shape: { rows: number; cols: number },
  bias?: ArrayLike<number>,
): Promise<BiasActivationResult> {
  const fn = 'biasActivation';
  assertCount(fn, 'shape.rows', shape?.rows);
  assertCount(fn, 'shape.cols', shape?.cols);
  assertLength(fn, 'z', z, shape.rows * shape.cols, 'rows·cols');
  if (bias !== undefined) assertLength(fn, 'bias', bias, shape.cols, 'cols');
  const scope = new BufferScope(gpu, fn);
  try {
    const zb = scope.storage(toF32(z), 'z', fn);
    const out = scope.storage(z.length, 'a', fn);
    const buffers: BiasActivationBuffers = { z: zb, out };
    if (bias !== undefined) buffers.bias = scope.storage(toF32(bias), 'bias', fn);
    const d = await prepareBiasActivation(gpu, scope, spec, 'forward', buffers, shape);
    await runDispatches(gpu, [d], 1, fn);
    return { z: await readF32(gpu, zb, z.length), a: await readF32(gpu, out, z.length) };
  } finally {
    scope.dispose();
  }
}

/**
 * f'(z) elementwise on the GPU, or g ⊙ f'(z) when `grad` is given.
 * @example
 * ```ts
 * await activationDerivative(gpu, 'tanh', [0, 400]); // [1, 0]
 * ```
 */
export async function activationDerivative(
  gpu: Gpu,
  spec: ActivationSpec,
  z: ArrayLike<number>,
  grad?: ArrayLike<number>,
): Promise<Float32Array> {
  const fn = 'activationDerivative';
  if (z === null || typeof z !== 'object' || typeof z.length !== 'number' || z.length === 0) {
    throw invalidArgument(fn, 'z', z, 'a non-empty array of numbers');
  }
  if (grad !== undefined) assertLength(fn, 'grad', grad, z.length, 'z.length');
  const scope = new BufferScope(gpu, fn);
  try {
    const buffers: BiasActivationBuffers = {
      z: scope.storage(toF32(z), 'z', fn),
      out: scope.storage(z.length, 'out', fn),
    };
    if (grad !== undefined) buffers.grad = scope.storage(toF32(grad), 'grad', fn);
    const mode = grad === undefined ? 'derivative' : 'backward';
    const d = await prepareBiasActivation(gpu, scope, spec, mode, buffers, {
      rows: 1,
      cols: z.length,
    });
    await runDispatches(gpu, [d], 1, fn);
    return await readF32(gpu, buffers.out, z.length);
  } finally {
    scope.dispose();
  }
}
