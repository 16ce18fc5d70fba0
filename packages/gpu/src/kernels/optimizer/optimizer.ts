/**
 * GPU optimizers: state buffers plus the update dispatches (see `optimizer.wgsl.ts`).
 */
import type { OptimizerSpec } from '@annlab/core';
import { assertFiniteNumber, assertPositive, invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches, strideWorkgroups } from '../../dispatch.js';
import { ELEMENTWISE_WORKGROUP } from '../biasActivation/biasActivation.wgsl.js';
import { assertCount, assertLength, packUniform } from '../common.js';
import { type GpuOptimizerName, makeOptimizerShader, makeTickShader } from './optimizer.wgsl.js';

/**
 * Optimizer settings: core's `OptimizerSpec` (`learningRate`, `b1`, `b2` as in `@annlab/train`);
 * defaults follow PyTorch/optax (b1 0.9, b2 0.999, eps 1e-8, momentum 0.9).
 */
export type GpuOptimizerSpec = OptimizerSpec;

/** An optimizer bound to one parameter and one gradient buffer. */
export interface GpuOptimizer {
  readonly spec: Required<GpuOptimizerSpec>;
  /** Dispatches of one update (Adam: tick, then update). */
  readonly dispatches: readonly Dispatch[];
  /** Changes the learning rate for later updates (a schedule step). */
  setLearningRate(lr: number): void;
}

/** Validates a spec and fills in the defaults. */
export function normalizeOptimizer(fn: string, spec: GpuOptimizerSpec): Required<GpuOptimizerSpec> {
  if (spec === null || typeof spec !== 'object') {
    throw invalidArgument(
      fn,
      'optimizer',
      spec,
      "an object { name: 'sgd' | 'momentum' | 'adam', learningRate }",
    );
  }
  assertPositive(fn, 'optimizer.learningRate', spec.learningRate);
  const learningRate = spec.learningRate;
  switch (spec.name) {
    case 'sgd':
      return { name: 'sgd', learningRate };
    case 'momentum': {
      const momentum = spec.momentum ?? 0.9;
      assertFiniteNumber(fn, 'optimizer.momentum', momentum);
      return { name: 'momentum', learningRate, momentum };
    }
    case 'adam': {
      const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = spec;
      for (const [k, v] of [
        ['b1', b1],
        ['b2', b2],
      ] as const) {
        if (!(v >= 0 && v < 1)) throw invalidArgument(fn, `optimizer.${k}`, v, 'in [0, 1)');
      }
      assertPositive(fn, 'optimizer.eps', eps);
      return { name: 'adam', learningRate, b1, b2, eps };
    }
    default:
      throw invalidArgument(
        fn,
        'optimizer.name',
        (spec as { name: unknown }).name,
        "'sgd', 'momentum' or 'adam'",
      );
  }
}

function uniformFields(s: Required<GpuOptimizerSpec>, count: number, lr: number) {
  const a = s.name === 'momentum' ? s.momentum : s.name === 'adam' ? s.b1 : 0;
  const b = s.name === 'adam' ? s.b2 : 0;
  const eps = s.name === 'adam' ? s.eps : 0;
  return packUniform([
    ['u32', count],
    ['f32', lr],
    ['f32', a],
    ['f32', b],
    ['f32', eps],
    ['f32', s.name === 'adam' ? Math.max(Math.log(a), -1e30) : 0],
    ['f32', s.name === 'adam' ? Math.max(Math.log(b), -1e30) : 0],
  ]);
}

/** One parameter tensor and its gradient, both `count` float32 values. */
export interface GpuOptimizerTensor {
  params: GPUBuffer;
  grad: GPUBuffer;
  count: number;
}

/**
 * Creates the optimizer state (zeros) in `scope` and the dispatches of one update of every tensor
 * (Adam: one shared step counter, advanced once per update).
 */
export async function createGpuOptimizer(
  gpu: Gpu,
  scope: BufferScope,
  spec: GpuOptimizerSpec,
  tensors: readonly GpuOptimizerTensor[],
): Promise<GpuOptimizer> {
  const fn = 'createGpuOptimizer';
  const s = normalizeOptimizer(fn, spec);
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw invalidArgument(fn, 'tensors', tensors, 'a non-empty array of { params, grad, count }');
  }
  tensors.forEach((t, i) => {
    assertCount(fn, `tensors[${i}].count`, t?.count);
  });
  const name: GpuOptimizerName = s.name;
  const kernel = await gpu.pipelines.get(`optimizer(${name})`, () => makeOptimizerShader(name));
  const dispatches: Dispatch[] = [];
  let step: GPUBuffer | undefined;
  if (name === 'adam') {
    step = scope.storage(1, 'adam/step', fn);
    const tick = await gpu.pipelines.get('tick', makeTickShader);
    dispatches.push(makeDispatch(gpu, tick, [step], [1]));
  }
  const uniforms: GPUBuffer[] = [];
  for (const t of tensors) {
    const params = scope.uniform(
      uniformFields(s, t.count, s.learningRate),
      `optimizer(${name})/params`,
    );
    uniforms.push(params);
    const bound = [params, t.params, t.grad];
    if (name === 'momentum') bound.push(scope.storage(t.count, 'momentum/v', fn));
    if (step) {
      bound.push(scope.storage(t.count, 'adam/m', fn), scope.storage(t.count, 'adam/v', fn), step);
    }
    dispatches.push(
      makeDispatch(gpu, kernel, bound, [strideWorkgroups(gpu, t.count, ELEMENTWISE_WORKGROUP)]),
    );
  }
  return {
    spec: s,
    dispatches,
    setLearningRate(lr) {
      assertPositive('GpuOptimizer.setLearningRate', 'learningRate', lr);
      tensors.forEach((t, i) => {
        gpu.device.queue.writeBuffer(uniforms[i]!, 0, uniformFields(s, t.count, lr));
      });
    },
  };
}

/**
 * Applies `steps` updates with a fixed gradient on the GPU and returns the parameters: a test and
 * demo helper for the update rules.
 * @example
 * ```ts
 * await optimizerSteps(gpu, { name: 'sgd', learningRate: 0.1 }, [1, 2], [1, 1], 2); // [0.8, 1.8]
 * ```
 */
export async function optimizerSteps(
  gpu: Gpu,
  spec: GpuOptimizerSpec,
  params: ArrayLike<number>,
  grad: ArrayLike<number>,
  steps = 1,
): Promise<Float32Array> {
  const fn = 'optimizerSteps';
  if (params === null || typeof params !== 'object' || !(params.length > 0)) {
    throw invalidArgument(fn, 'params', params, 'a non-empty array of numbers');
  }
  assertLength(fn, 'grad', grad, params.length, 'params.length');
  assertCount(fn, 'steps', steps);
  const scope = new BufferScope(gpu, fn);
  try {
    const p = scope.storage(toF32(params), 'params', fn);
    const g = scope.storage(toF32(grad), 'grad', fn);
    const opt = await createGpuOptimizer(gpu, scope, spec, [
      { params: p, grad: g, count: params.length },
    ]);
    await runDispatches(gpu, opt.dispatches, steps, fn);
    return await readF32(gpu, p, params.length);
  } finally {
    scope.dispose();
  }
}
