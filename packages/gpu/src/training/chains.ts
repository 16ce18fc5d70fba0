/**
 * Many width-one networks trained at once on the GPU (workload W6): K independent chains with their
 * own initial parameters (or keys), depths, step sizes and shuffle orders, by per-sample SGD on
 * ½(ŷ − y)², one GPU thread per network, the final losses read back once.
 *
 * ## How shuffle orders derive from keys
 * Network k has a shuffle key s_k: `shuffleKeys[k]` when given, else
 * `chainShuffleKey(keys[k]) = foldIn(keys[k], CHAIN_SHUFFLE_FOLD)` (`CHAIN_SHUFFLE_FOLD` = 0x73687566,
 * ASCII "shuf"; in the partitionable scheme that is `split(keys[k], m)[0x73687566]` for any larger
 * m, a key that `initChain(keys[k], N)`, which uses `split(keys[k], N + 1)`, never touches).
 * Its order in epoch e (0-based) is, with core's `permutation`:
 * - `'epoch'`: `permutation(foldIn(s_k, e), n)` = `permutation(split(s_k, epochs)[e], n)`, which is
 *   also what `@annlab/train`'s `batchPlan`/`fit` use for `{ key: s_k, shuffle: 'epoch' }`;
 * - `'fixed'`: `permutation(s_k, n)` every epoch (train's `shuffle: 'fixed'`);
 * - `'none'`: 0 … n−1.
 * {@link chainEpochOrder} computes the same order on the CPU. The GPU computes them itself (kernel
 * `permutation`), bit for bit equal to core's: 10,000 networks × 500 epochs of n = 200 would take
 * about 6 minutes on the CPU (70 µs per permutation), longer than the training.
 */
import {
  type ActivationSpec,
  activation,
  foldIn,
  initChain,
  type Key,
  permutation,
  ShapeError,
  type ShuffleMode,
} from '@annlab/core';
import { assertInteger, assertPositive, invalidArgument, isKey } from '@annlab/core/internal';
import { BufferScope, readF32 } from '../buffers.js';
import type { Gpu } from '../device.js';
import { closeErrorScopes, encodeDispatches, makeDispatch, openErrorScopes } from '../dispatch.js';
import { GpuError } from '../errors.js';
import { chainKernels } from '../kernels/chainSgd/chainSgd.js';
import { CHAIN_WORKGROUP } from '../kernels/chainSgd/chainSgd.wgsl.js';
import { assertLength, checkKeyList, packUniform } from '../kernels/common.js';
import { packKeys, preparePermutations } from '../kernels/permutation/permutation.js';
import { PERMUTATION_SCRATCH_WORDS } from '../kernels/permutation/permutation.wgsl.js';
import { waitForWork } from '../wait.js';

/**
 * How {@link trainChains} orders each network's samples: a new keyed permutation every epoch, one
 * keyed permutation reused every epoch, or the data order. See the module documentation.
 */
export type ChainShuffle = ShuffleMode;

/** The fold-in tag of {@link chainShuffleKey}: 0x73687566, ASCII "shuf". */
export const CHAIN_SHUFFLE_FOLD = 0x73687566;

/**
 * The shuffle key {@link trainChains} derives from a network's key:
 * `foldIn(networkKey, CHAIN_SHUFFLE_FOLD)`, independent of the keys `initChain` uses.
 *
 * @example
 * ```ts
 * const keys = split(key(0), 10_000);
 * const s0 = chainShuffleKey(keys[0]); // network 0's shuffle key
 * ```
 */
export function chainShuffleKey(networkKey: Key): Key {
  if (!isKey(networkKey)) {
    throw invalidArgument('chainShuffleKey', 'networkKey', networkKey, 'a key (Uint32Array(2))');
  }
  return foldIn(networkKey, CHAIN_SHUFFLE_FOLD);
}

/**
 * The sample order {@link trainChains} uses in epoch `epoch` for a network with shuffle key
 * `shuffleKey` (see {@link chainShuffleKey}), computed on the CPU with core's `permutation`:
 * `permutation(foldIn(shuffleKey, epoch), n)` (`'epoch'`), `permutation(shuffleKey, n)`
 * (`'fixed'`) or 0 … n−1 (`'none'`).
 *
 * @example
 * ```ts
 * // Replay network 7's W6 orders in a CPU loop:
 * const s7 = chainShuffleKey(keys[7]);
 * for (let e = 0; e < 500; e++) {
 *   const order = chainEpochOrder(s7, e, 200, 'epoch');
 *   // … per-sample SGD over xs[order[i]], ys[order[i]]
 * }
 * ```
 */
export function chainEpochOrder(
  shuffleKey: Key,
  epoch: number,
  n: number,
  shuffle: ChainShuffle,
): Int32Array {
  const fn = 'chainEpochOrder';
  if (!isKey(shuffleKey)) {
    throw invalidArgument(fn, 'shuffleKey', shuffleKey, 'a key (Uint32Array(2))');
  }
  assertInteger(fn, 'epoch', epoch, 0, 2 ** 32 - 1);
  assertInteger(fn, 'n', n, 1, 2 ** 31 - 1);
  if (shuffle === 'epoch') return permutation(foldIn(shuffleKey, epoch), n);
  if (shuffle === 'fixed') return permutation(shuffleKey, n);
  if (shuffle === 'none') return Int32Array.from({ length: n }, (_, i) => i);
  throw invalidArgument(fn, 'shuffle', shuffle, "'epoch', 'fixed' or 'none'");
}

/** Options of {@link trainChains}. Give exactly one of `keys` and `params`. */
export interface TrainChainsOptions {
  /** One key per network; parameters come from core's `initChain(key, depth)`. */
  keys?: readonly Key[];
  /** Initial parameters, K networks × [w_1..w_N, b_1..b_N] (core's `ChainParams.data` layout). */
  params?: ArrayLike<number>;
  /** Depth N of every network, or one per network (with `keys`). */
  depth: number | ArrayLike<number>;
  /** Inputs and targets, n samples each. */
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** Step size (the SGD learning rate), shared or one per network. */
  learningRate: number | ArrayLike<number>;
  epochs: number;
  /**
   * Keyed per-network shuffling, computed on the GPU (default `'none'`, the data order): network k's
   * order in epoch e is {@link chainEpochOrder}`(shuffleKeys[k], e, n, shuffle)`. Needs `keys` or
   * `shuffleKeys`; excludes `order`.
   */
  shuffle?: ChainShuffle;
  /** Shuffle keys, one per network (default {@link chainShuffleKey}`(keys[k])`). */
  shuffleKeys?: readonly Key[];
  /**
   * Where the shuffle orders are computed (the orders are identical): `'gpu'` (the `permutation`
   * kernel, inside the training submission) or `'cpu'` (core's `permutation`, uploaded per
   * dispatch). Default: `'cpu'` on a fallback adapter (SwiftShader, where the "GPU" is the CPU and
   * JavaScript is faster), else `'gpu'`.
   */
  shuffleOn?: 'gpu' | 'cpu';
  /**
   * Explicit orders instead of `shuffle`: the sample order of epoch e, n indices shared by all
   * networks, or K·n (network k's order at k·n), uploaded from the CPU each dispatch.
   */
  order?: (epoch: number) => ArrayLike<number>;
  /** Hidden activation (default `'sigmoid'`, the lecture's); the last layer is the identity. */
  hidden?: ActivationSpec;
  /** Epochs per dispatch (default: about 4·10⁶ sample-layer updates per dispatch). */
  epochsPerDispatch?: number;
  /** Also read back the trained parameters (default false). */
  returnParams?: boolean;
}

/** Result of {@link trainChains}. */
export interface TrainChainsResult {
  /** Per network: Σ over the data of ½(ŷ − y)² after training (core's `halfSquaredError`). */
  losses: Float32Array;
  /** With `returnParams`: network k's [w_1..w_N, b_1..b_N] at k·2N (uniform depth N only). */
  params?: Float32Array;
  /** Seconds from the first submission until the GPU finished training (before the loss pass). */
  seconds: number;
}

/**
 * Trains K independent width-one chains together on the GPU.
 *
 * Steps: 1. initial parameters from `initChain(keys[k], depth)` (or `params`), rounded to float32;
 * 2. per dispatch of E epochs: with `shuffle: 'epoch'`, the `permutation` kernel writes the E·K
 * orders, then the `chainSgd` kernel runs E epochs of per-sample SGD, one thread per network
 * (`'fixed'` computes the K orders once); 3. the loss pass; 4. read back losses (and parameters).
 *
 * @example
 * ```ts
 * // W6: lecture Example 1 for 10,000 keys at once, each network shuffled every epoch by its key.
 * const keys = split(key(0), 10_000);
 * const xs = Float64Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
 * const ys = xs.map((x) => -3 * x + 2);
 * const { losses } = await trainChains(gpu, {
 *   keys, depth: 3, xs, ys, learningRate: 0.01, epochs: 500, shuffle: 'epoch',
 * });
 * ```
 */
export async function trainChains(
  gpu: Gpu,
  options: TrainChainsOptions,
): Promise<TrainChainsResult> {
  const fn = 'trainChains';
  if (options === null || typeof options !== 'object') {
    throw invalidArgument(fn, 'options', options, 'an object');
  }
  const { keys, params, xs, ys, epochs } = options;
  if ((keys === undefined) === (params === undefined)) {
    throw invalidArgument(fn, 'options', 'keys and params', 'given exactly one of keys and params');
  }
  assertInteger(fn, 'options.epochs', epochs, 0);
  if (xs === null || typeof xs !== 'object' || !(xs.length >= 1)) {
    throw invalidArgument(fn, 'options.xs', xs, 'a non-empty array of numbers');
  }
  const n = xs.length;
  assertLength(fn, 'options.ys', ys, n, 'xs.length');
  const hidden = options.hidden ?? 'sigmoid';
  activation(hidden);

  let K: number;
  let depths: Uint32Array<ArrayBuffer>;
  if (keys !== undefined) {
    K = checkKeyList(fn, 'options.keys', keys);
  } else {
    K = -1;
  }
  const depthArg = options.depth;
  if (typeof depthArg === 'number') {
    assertInteger(fn, 'options.depth', depthArg, 1, 64);
    if (params !== undefined) {
      if (
        params === null ||
        typeof params !== 'object' ||
        params.length % (2 * depthArg) !== 0 ||
        params.length === 0
      ) {
        throw new ShapeError(
          `${fn}: options.params must hold K networks of 2·depth = ${2 * depthArg} values, got length ${params?.length}`,
          fn,
          'options.params',
        );
      }
      K = params.length / (2 * depthArg);
    }
    depths = new Uint32Array(K).fill(depthArg);
  } else {
    if (params !== undefined) {
      throw invalidArgument(fn, 'options.depth', depthArg, 'a number when params are given');
    }
    assertLength(fn, 'options.depth', depthArg, K, 'keys.length');
    depths = new Uint32Array(K);
    for (let i = 0; i < K; i++) {
      assertInteger(fn, `options.depth[${i}]`, depthArg[i], 1, 64);
      depths[i] = depthArg[i]!;
    }
  }
  let maxDepth = 0;
  for (const d of depths) maxDepth = Math.max(maxDepth, d);
  const lrArg = options.learningRate;
  const lrs = new Float32Array(typeof lrArg === 'number' ? 1 : K);
  if (typeof lrArg === 'number') {
    assertPositive(fn, 'options.learningRate', lrArg);
    lrs[0] = lrArg;
  } else {
    assertLength(fn, 'options.learningRate', lrArg, K, 'K');
    for (let i = 0; i < K; i++) {
      assertPositive(fn, `options.learningRate[${i}]`, lrArg[i]);
      lrs[i] = lrArg[i]!;
    }
  }
  const shuffle = options.shuffle ?? 'none';
  if (shuffle !== 'epoch' && shuffle !== 'fixed' && shuffle !== 'none') {
    throw invalidArgument(fn, 'options.shuffle', shuffle, "'epoch', 'fixed' or 'none'");
  }
  if (shuffle !== 'none' && options.order !== undefined) {
    throw invalidArgument(fn, 'options.order', 'given', `omitted with shuffle '${shuffle}'`);
  }
  let shuffleKeys: readonly Key[] | undefined;
  if (options.shuffleKeys !== undefined) {
    packKeys(fn, 'options.shuffleKeys', options.shuffleKeys);
    if (options.shuffleKeys.length !== K) {
      throw new ShapeError(
        `${fn}: options.shuffleKeys must have K = ${K} keys, got ${options.shuffleKeys.length}`,
        fn,
        'options.shuffleKeys',
      );
    }
    if (shuffle !== 'none') shuffleKeys = options.shuffleKeys;
  } else if (shuffle !== 'none') {
    if (!keys) {
      throw invalidArgument(
        fn,
        'options.shuffleKeys',
        undefined,
        `given with params and shuffle '${shuffle}' (one key per network)`,
      );
    }
    shuffleKeys = keys.map(chainShuffleKey);
  }
  const shuffleOn = options.shuffleOn ?? (gpu.adapter.isFallbackAdapter ? 'cpu' : 'gpu');
  if (shuffleOn !== 'gpu' && shuffleOn !== 'cpu') {
    throw invalidArgument(fn, 'options.shuffleOn', shuffleOn, "'gpu' or 'cpu'");
  }
  const gpuShuffle = shuffleKeys !== undefined && shuffleOn === 'gpu';
  if (K > gpu.limits.maxComputeWorkgroupsPerDimension * CHAIN_WORKGROUP) {
    throw new GpuError(`${fn}: ${K} networks exceed one dispatch; train them in groups`);
  }

  const kernels = await chainKernels(gpu, maxDepth, hidden);
  const D = kernels.maxDepth;
  const stride = 2 * D;
  const theta = new Float32Array(K * stride);
  for (let k = 0; k < K; k++) {
    const d = depths[k]!;
    const data = keys ? initChain(keys[k]!, d).data : undefined;
    for (let i = 0; i < d; i++) {
      theta[k * stride + i] = data ? data[i]! : params![k * 2 * d + i]!;
      theta[k * stride + D + i] = data ? data[d + i]! : params![k * 2 * d + d + i]!;
    }
  }

  // Epochs per dispatch: about 4·10⁶ sample-layer updates, and with per-epoch shuffles at most
  // 32 MiB of order scratch (4n words per network and epoch).
  let autoE = Math.floor(4e6 / (K * n * maxDepth));
  if (shuffle === 'epoch' && gpuShuffle) {
    autoE = Math.min(autoE, Math.floor(2 ** 23 / (K * n * PERMUTATION_SCRATCH_WORDS)));
  }
  const E = Math.max(1, Math.min(epochs || 1, options.epochsPerDispatch ?? autoE));
  assertInteger(fn, 'options.epochsPerDispatch', E, 1);
  const perNet = (e: number) => {
    const o = options.order!(e);
    if (o?.length === n) return false;
    if (o?.length === K * n) return true;
    throw new ShapeError(
      `${fn}: options.order(${e}) must have n = ${n} or K·n = ${K * n} entries, got ${o?.length}`,
      fn,
      'options.order',
    );
  };
  // Order layout: order[(e − e0)·epochStride + k·netStride + s].
  const netStride = shuffle !== 'none' || (options.order && epochs > 0 && perNet(0)) ? n : 0;
  const epochStride = shuffle === 'fixed' ? 0 : n * (netStride ? K : 1);
  const orderEpochs = shuffle === 'fixed' ? 1 : E;
  const orderLen = options.order || shuffle !== 'none' ? orderEpochs * n * (netStride ? K : 1) : n;

  const scope = new BufferScope(gpu, fn);
  try {
    const thetaBuf = scope.storage(theta, 'theta', fn);
    const xBuf = scope.storage(Float32Array.from(xs), 'xs', fn);
    const yBuf = scope.storage(Float32Array.from(ys), 'ys', fn);
    const identity = scope.storage(
      Uint32Array.from({ length: n }, (_, i) => i),
      'identity',
      fn,
    );
    const shuffled = options.order !== undefined || shuffle !== 'none';
    const orderBuf = shuffled ? scope.storage(orderLen, 'order', fn) : identity;
    const perm = gpuShuffle
      ? await preparePermutations(
          gpu,
          scope,
          {
            keys: scope.storage(packKeys(fn, 'shuffleKeys', shuffleKeys!), 'shuffleKeys', fn),
            out: orderBuf,
            scratch: scope.storage(orderLen * PERMUTATION_SCRATCH_WORDS, 'orderScratch', fn),
          },
          { K, n, epochs: orderEpochs, perEpoch: shuffle === 'epoch' },
        )
      : undefined;
    const lrBuf = scope.storage(lrs, 'lrs', fn);
    const depthBuf = scope.storage(depths, 'depths', fn);
    const lossBuf = scope.storage(K, 'losses', fn);
    const fields = (e0: number, e1: number, epochStride: number, ns: number) =>
      packUniform([
        ['u32', K],
        ['u32', n],
        ['u32', e0],
        ['u32', e1],
        ['u32', epochStride],
        ['u32', ns],
        ['u32', typeof lrArg === 'number' ? 0 : 1],
        ['u32', stride],
      ]);
    const trainUniform = scope.uniform(fields(0, 0, 0, 0), 'trainParams');
    const lossUniform = scope.uniform(fields(0, 1, 0, 0), 'lossParams');
    const groups: [number] = [Math.ceil(K / CHAIN_WORKGROUP)];
    const bind = (u: GPUBuffer, order: GPUBuffer) => [
      u,
      thetaBuf,
      xBuf,
      yBuf,
      order,
      lrBuf,
      depthBuf,
      lossBuf,
    ];
    const trainD = makeDispatch(gpu, kernels.train, bind(trainUniform, orderBuf), groups);
    const lossD = makeDispatch(gpu, kernels.loss, bind(lossUniform, identity), groups);

    const device = gpu.device;
    openErrorScopes(device);
    const t0 = performance.now();
    const orderData =
      options.order || (shuffleKeys && !gpuShuffle) ? new Uint32Array(orderLen) : undefined;
    for (let e0 = 0; e0 < epochs; e0 += E) {
      const e1 = Math.min(epochs, e0 + E);
      if (orderData && options.order) {
        const per = n * (netStride ? K : 1);
        for (let e = e0; e < e1; e++) {
          const o = options.order(e);
          assertLength(fn, `options.order(${e})`, o, per, netStride ? 'K·n' : 'n');
          for (let i = 0; i < per; i++) {
            const v = o[i]!;
            if (!(v >= 0 && v < n && Number.isInteger(v))) {
              throw invalidArgument(fn, `options.order(${e})[${i}]`, v, `an index in [0, ${n})`);
            }
            orderData[(e - e0) * per + i] = v;
          }
        }
        device.queue.writeBuffer(orderBuf, 0, orderData);
      } else if (orderData && (shuffle === 'epoch' || e0 === 0)) {
        // Keyed orders on the CPU: the same permutations the GPU kernel computes.
        const count = shuffle === 'fixed' ? 1 : e1 - e0;
        for (let j = 0; j < count; j++) {
          for (let k = 0; k < K; k++) {
            orderData.set(chainEpochOrder(shuffleKeys![k]!, e0 + j, n, shuffle), (j * K + k) * n);
          }
        }
        device.queue.writeBuffer(orderBuf, 0, orderData, 0, count * K * n);
      }
      if (perm && shuffle === 'epoch') perm.setFirstEpoch(e0);
      device.queue.writeBuffer(trainUniform, 0, fields(e0, e1, epochStride, netStride));
      const enc = device.createCommandEncoder({ label: fn });
      const pass = enc.beginComputePass({ label: fn });
      // 'fixed': the orders are computed once, in the first submission.
      if (perm && (shuffle === 'epoch' || e0 === 0)) encodeDispatches(pass, [perm.dispatch]);
      pass.setPipeline(trainD.pipeline);
      pass.setBindGroup(0, trainD.bindGroup);
      pass.dispatchWorkgroups(groups[0]);
      pass.end();
      device.queue.submit([enc.finish()]);
    }
    // Time per epoch depends on the networks, the data and the shuffling.
    let depthSum = 0;
    for (const d of depths) depthSum += d;
    const key = `${fn}:${kernels.train.key}:${K}:${n}:${depthSum}:${shuffle}:${Boolean(perm)}`;
    await waitForWork(gpu, key, epochs, t0, fn);
    const seconds = (performance.now() - t0) / 1000;
    const enc = device.createCommandEncoder({ label: `${fn}/loss` });
    const pass = enc.beginComputePass();
    pass.setPipeline(lossD.pipeline);
    pass.setBindGroup(0, lossD.bindGroup);
    pass.dispatchWorkgroups(groups[0]);
    pass.end();
    device.queue.submit([enc.finish()]);
    await closeErrorScopes(gpu, fn);
    const losses = await readF32(gpu, lossBuf, K);
    const result: TrainChainsResult = { losses, seconds };
    if (options.returnParams) {
      if (typeof depthArg !== 'number') {
        throw invalidArgument(fn, 'options.returnParams', true, 'used with a uniform depth');
      }
      const all = await readF32(gpu, thetaBuf, K * stride);
      const out = new Float32Array(K * 2 * depthArg);
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < depthArg; i++) {
          out[k * 2 * depthArg + i] = all[k * stride + i]!;
          out[k * 2 * depthArg + depthArg + i] = all[k * stride + D + i]!;
        }
      }
      result.params = out;
    }
    return result;
  } finally {
    scope.dispose();
  }
}
