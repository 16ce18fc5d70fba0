/**
 * Many small MLPs trained at once on the GPU: K independent networks of one spec (every width ≤ 16,
 * at most 4 layers) on shared data (n ≤ 256 samples), by full-batch gradient descent with SGD,
 * momentum or Adam, one GPU thread per network. The XOR chapter's "spread over many keys" and
 * hyperparameter or initialisation studies are this shape: thousands of tiny networks, each too
 * small to fill a GPU by itself.
 */
import { initMlp, type Key, type MlpInit, type MlpSpec, ShapeError } from '@annlab/core';
import { assertInteger, invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32 } from '../buffers.js';
import type { Gpu } from '../device.js';
import { closeErrorScopes, makeDispatch, openErrorScopes } from '../dispatch.js';
import { GpuError } from '../errors.js';
import { checkKeyList, packUniform } from '../kernels/common.js';
import { assertLossName, defaultLossScale } from '../kernels/loss/loss.js';
import type { GpuLossName } from '../kernels/loss/loss.wgsl.js';
import { type GpuOptimizerSpec, normalizeOptimizer } from '../kernels/optimizer/optimizer.js';
import { smallMlpsKernels } from '../kernels/smallMlps/smallMlps.js';
import { checkSmallMlpSpec, SMALL_MLPS_WORKGROUP } from '../kernels/smallMlps/smallMlps.wgsl.js';
import { waitForWork } from '../wait.js';

/** The most samples {@link trainSmallMlps} takes (every thread loops over all of them). */
export const SMALL_MLP_MAX_SAMPLES = 256;

/**
 * Network × sample × parameter units per dispatch when `epochsPerDispatch` is not given: about
 * 0.5 s of SwiftShader on two cores (the XOR net: 10,000 networks × 55 epochs), microseconds on a
 * real GPU, so no dispatch comes near a watchdog.
 */
const DISPATCH_BUDGET = 2e7;

/** Options of {@link trainSmallMlps}. Give exactly one of `keys` and `params`. */
export interface TrainSmallMlpsOptions {
  /** The networks' shape (core's `MlpSpec`): every width ≤ 16, at most 4 layers. */
  spec: MlpSpec;
  /** One key per network; network k starts from `initMlp(spec, keys[k], init)` in float32. */
  keys?: readonly Key[];
  /** Initial parameters, K networks × P in core's flat layout (`mlpLayout(spec)`), network k at k·P. */
  params?: ArrayLike<number>;
  /** `initMlp`'s scheme and scale for `keys` (default `'pytorch'`, scale 1). */
  init?: { init?: MlpInit; scale?: number };
  /** Shared inputs, n × sizes[0] row-major, 1 ≤ n ≤ 256. */
  x: ArrayLike<number>;
  /** Shared targets, n × sizes[L] row-major. */
  y: ArrayLike<number>;
  /** Loss over the n × outputs block, with core's conventions (`mse`, `bceWithLogits`: means). */
  loss: GpuLossName;
  /** Update rule; Adam's defaults β₁ 0.9, β₂ 0.999, ε 1e-8; momentum's μ 0.9. */
  optimizer: GpuOptimizerSpec;
  /** Full-batch steps (one update per epoch). */
  epochs: number;
  /** Only `'full'` (the default): every epoch is one gradient step on all n samples. */
  batch?: 'full';
  /** Epochs per dispatch (default: K·n·P·epochs ≈ 2·10⁷ per dispatch). */
  epochsPerDispatch?: number;
  /** Also read back the trained parameters (default false). */
  returnParams?: boolean;
  /**
   * Kernel shape: every loop over widths and parameters unrolled (constant indices, so the
   * compiler can keep each network in registers) or kept as loops. Default: unrolled up to 128
   * parameters. Both give the same results up to float32 rounding.
   */
  unroll?: boolean;
}

/** Result of {@link trainSmallMlps}. */
export interface TrainSmallMlpsResult {
  /** Per network: the loss of its final parameters on the whole data set. */
  losses: Float32Array;
  /** With `returnParams`: the trained parameters, K × P in core's flat layout. */
  params?: Float32Array;
  /** Seconds from the first submission until the GPU finished training (before the loss pass). */
  seconds: number;
}

/**
 * Trains K small MLPs of one spec together on the GPU, each by full-batch gradient descent on the
 * same data, and returns their final losses (and parameters).
 *
 * Steps: 1. initial parameters from `initMlp(spec, keys[k])` (or `params`), rounded to float32;
 * 2. compile the `smallMlps` train and loss kernels for the spec, loss and optimizer (cached);
 * 3. per dispatch of E epochs: one thread per network runs E full-batch steps with its parameters,
 * gradient and activations in function-local arrays (see `makeSmallMlpsShader`), optimizer state in
 * a storage buffer; 4. the loss pass; 5. read back the losses (and parameters).
 *
 * @example
 * ```ts
 * // XOR with a 2-2-1 network from 1000 keys at once: how many keys solve it?
 * const spec = mlpSpec([2, 2, 1], 'tanh', 'sigmoid');
 * const { losses } = await trainSmallMlps(gpu, {
 *   spec,
 *   keys: split(key(0), 1000),
 *   x: [0, 0, 0, 1, 1, 0, 1, 1],
 *   y: [0, 1, 1, 0],
 *   loss: 'mse',
 *   optimizer: { name: 'adam', learningRate: 0.05 },
 *   epochs: 600,
 * });
 * const solved = losses.filter((l) => l < 0.05).length;
 * ```
 */
export async function trainSmallMlps(
  gpu: Gpu,
  options: TrainSmallMlpsOptions,
): Promise<TrainSmallMlpsResult> {
  const fn = 'trainSmallMlps';
  if (options === null || typeof options !== 'object') {
    throw invalidArgument(fn, 'options', options, 'an object');
  }
  const { spec, keys, params, x, y, epochs } = options;
  const P = checkSmallMlpSpec(fn, spec);
  const nIn = spec.sizes[0]!;
  const nOut = spec.sizes[spec.sizes.length - 1]!;
  if ((keys === undefined) === (params === undefined)) {
    throw invalidArgument(fn, 'options', 'keys and params', 'given exactly one of keys and params');
  }
  let K: number;
  if (keys !== undefined) {
    K = checkKeyList(fn, 'options.keys', keys);
  } else {
    if (params === null || typeof params !== 'object' || typeof params.length !== 'number') {
      throw invalidArgument(fn, 'options.params', params, 'an array of numbers');
    }
    if (params.length === 0 || params.length % P !== 0) {
      throw new ShapeError(
        `${fn}: options.params must hold K ≥ 1 networks of P = ${P} values, got length ${params.length}`,
        fn,
        'options.params',
      );
    }
    K = params.length / P;
  }
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw invalidArgument(fn, 'options.x', x, 'an array of numbers');
  }
  const n = x.length / nIn;
  if (!Number.isInteger(n) || n < 1 || n > SMALL_MLP_MAX_SAMPLES) {
    throw new ShapeError(
      `${fn}: options.x must hold n rows of sizes[0] = ${nIn} inputs with 1 ≤ n ≤ ${SMALL_MLP_MAX_SAMPLES}, got length ${x.length}`,
      fn,
      'options.x',
    );
  }
  if (y === null || typeof y !== 'object' || y.length !== n * nOut) {
    throw new ShapeError(
      `${fn}: options.y must hold n·outputs = ${n}·${nOut} = ${n * nOut} values, got length ${
        y === null || typeof y !== 'object' ? String(y) : y.length
      }`,
      fn,
      'options.y',
    );
  }
  assertLossName(fn, 'options.loss', options.loss);
  const opt = normalizeOptimizer(fn, options.optimizer);
  assertInteger(fn, 'options.epochs', epochs, 0);
  if (options.batch !== undefined && options.batch !== 'full') {
    throw invalidArgument(fn, 'options.batch', options.batch, "'full'");
  }
  if (options.unroll !== undefined && typeof options.unroll !== 'boolean') {
    throw invalidArgument(fn, 'options.unroll', options.unroll, 'a boolean');
  }
  const E =
    options.epochsPerDispatch ??
    Math.max(1, Math.min(epochs || 1, Math.floor(DISPATCH_BUDGET / (K * n * P))));
  assertInteger(fn, 'options.epochsPerDispatch', E, 1);

  const theta = new Float32Array(K * P);
  if (keys !== undefined) {
    const init = {
      init: options.init?.init,
      scale: options.init?.scale,
      dtype: 'float32' as const,
    };
    for (let k = 0; k < K; k++) theta.set(initMlp(spec, keys[k]!, init), k * P);
  } else {
    for (let i = 0; i < theta.length; i++) theta[i] = params![i]!;
  }
  for (let i = 0; i < theta.length; i++) {
    if (!Number.isFinite(theta[i]!)) {
      throw invalidArgument(fn, `options.params[${i}]`, theta[i], 'finite in float32');
    }
  }

  if (Math.ceil(K / SMALL_MLPS_WORKGROUP) > gpu.limits.maxComputeWorkgroupsPerDimension) {
    throw new GpuError(`${fn}: ${K} networks exceed one dispatch; train them in groups`);
  }

  const kernels = await smallMlpsKernels(gpu, spec, options.loss, opt.name, options.unroll);
  const stateWords = opt.name === 'adam' ? 2 * K * P : opt.name === 'momentum' ? K * P : 1;
  const scale = defaultLossScale(options.loss, n * nOut);
  const a = opt.name === 'adam' ? opt.b1 : opt.name === 'momentum' ? opt.momentum : 0;
  const b = opt.name === 'adam' ? opt.b2 : 0;
  const fields = (e0: number, e1: number) =>
    packUniform([
      ['u32', K],
      ['u32', n],
      ['u32', e0],
      ['u32', e1],
      ['f32', opt.learningRate],
      ['f32', a],
      ['f32', b],
      ['f32', opt.name === 'adam' ? opt.eps : 0],
      ['f32', opt.name === 'adam' ? Math.max(Math.log(a), -1e30) : 0],
      ['f32', opt.name === 'adam' ? Math.max(Math.log(b), -1e30) : 0],
      ['f32', scale],
    ]);

  const scope = new BufferScope(gpu, fn);
  try {
    const thetaBuf = scope.storage(theta, 'theta', fn);
    const xBuf = scope.storage(Float32Array.from(x), 'x', fn);
    const yBuf = scope.storage(Float32Array.from(y), 'y', fn);
    const stateBuf = scope.storage(stateWords, 'optimizerState', fn);
    const lossBuf = scope.storage(K, 'losses', fn);
    const trainUniform = scope.uniform(fields(0, 0), 'trainParams');
    const lossUniform = scope.uniform(fields(0, 0), 'lossParams');
    const groups: [number] = [Math.ceil(K / SMALL_MLPS_WORKGROUP)];
    const bind = (u: GPUBuffer) => [u, thetaBuf, xBuf, yBuf, stateBuf, lossBuf];
    const trainD = makeDispatch(gpu, kernels.train, bind(trainUniform), groups);
    const lossD = makeDispatch(gpu, kernels.loss, bind(lossUniform), groups);

    const device = gpu.device;
    openErrorScopes(device);
    const t0 = performance.now();
    for (let e0 = 0; e0 < epochs; e0 += E) {
      const e1 = Math.min(epochs, e0 + E);
      device.queue.writeBuffer(trainUniform, 0, fields(e0, e1));
      const enc = device.createCommandEncoder({ label: fn });
      const pass = enc.beginComputePass({ label: fn });
      pass.setPipeline(trainD.pipeline);
      pass.setBindGroup(0, trainD.bindGroup);
      pass.dispatchWorkgroups(groups[0]);
      pass.end();
      device.queue.submit([enc.finish()]);
    }
    const key = `${fn}:${kernels.train.key}:${K}:${n}`;
    await waitForWork(gpu, key, epochs, t0, fn);
    const seconds = (performance.now() - t0) / 1000;
    const enc = device.createCommandEncoder({ label: `${fn}/loss` });
    const pass = enc.beginComputePass({ label: `${fn}/loss` });
    pass.setPipeline(lossD.pipeline);
    pass.setBindGroup(0, lossD.bindGroup);
    pass.dispatchWorkgroups(groups[0]);
    pass.end();
    device.queue.submit([enc.finish()]);
    await closeErrorScopes(gpu, fn);
    const losses = await readF32(gpu, lossBuf, K);
    const result: TrainSmallMlpsResult = { losses, seconds };
    if (options.returnParams) result.params = await readF32(gpu, thetaBuf, K * P);
    return result;
  } finally {
    scope.dispose();
  }
}
