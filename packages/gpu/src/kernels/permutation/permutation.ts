/**
 * Typed wrapper of the batched permutation kernel: K keyed permutations of 0 … n−1 per epoch,
 * each equal to core's `permutation(key, n)`.
 */
import type { Key } from '@annlab/core';
import { assertInteger, invalidArgument, isKey } from '@annlab/core/internal';
import { BufferScope, readU32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches } from '../../dispatch.js';
import { packUniform } from '../common.js';
import {
  makePermutationShader,
  PERMUTATION_SCRATCH_WORDS,
  PERMUTATION_WORKGROUP,
} from './permutation.wgsl.js';

/** Sort rounds of core's `permutation` for length n (JAX's `_shuffle`): ⌈3·ln n / ln(2³² − 1)⌉. */
export function permutationRounds(n: number): number {
  return Math.ceil((3 * Math.log(Math.max(1, n))) / Math.log(4294967295));
}

/** Shape of a batch of permutations; see {@link preparePermutations}. */
export interface PermutationShape {
  /** Number of keys (networks). */
  K: number;
  /** Length of each permutation. */
  n: number;
  /** Epochs produced by one dispatch. */
  epochs: number;
  /**
   * `true`: epoch e of key k uses `foldIn(keys[k], e)` (a new order every epoch); `false`: every
   * epoch uses `keys[k]` itself.
   */
  perEpoch: boolean;
}

/** A prepared permutation dispatch whose first epoch can be moved with `setFirstEpoch`. */
export interface PermutationDispatch {
  readonly dispatch: Dispatch;
  /** Queues a write of the first epoch e0 (takes effect for later submissions). */
  setFirstEpoch(e0: number): void;
}

/** The uint32 words of K keys, for the `keys` buffer of {@link preparePermutations}. */
export function packKeys(fn: string, arg: string, keys: readonly Key[]): Uint32Array<ArrayBuffer> {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw invalidArgument(fn, arg, keys, 'a non-empty array of keys');
  }
  const words = new Uint32Array(2 * keys.length);
  keys.forEach((k, i) => {
    if (!isKey(k)) throw invalidArgument(fn, `${arg}[${i}]`, k, 'a key (Uint32Array(2))');
    words[2 * i] = k[0]!;
    words[2 * i + 1] = k[1]!;
  });
  return words;
}

/**
 * Prepares a dispatch writing, for epochs e0 … e0 + epochs − 1 and keys k < K,
 * `out[((e − e0)·K + k)·n + i] = permutation(perEpoch ? foldIn(key_k, e) : key_k, n)[i]`.
 * `keys` holds K × 2 words (key k's two words at 2k); `out` holds epochs·K·n words; `scratch` holds
 * epochs·K·4n words. The first epoch starts at 0; move it with `setFirstEpoch`.
 */
export async function preparePermutations(
  gpu: Gpu,
  scope: BufferScope,
  buffers: { keys: GPUBuffer; out: GPUBuffer; scratch: GPUBuffer },
  shape: PermutationShape,
): Promise<PermutationDispatch> {
  const fn = 'preparePermutations';
  assertInteger(fn, 'shape.K', shape?.K, 1);
  assertInteger(fn, 'shape.n', shape.n, 1, 2 ** 31 - 1);
  assertInteger(fn, 'shape.epochs', shape.epochs, 1);
  const { K, n, epochs } = shape;
  const kernel = await gpu.pipelines.get('permutation', makePermutationShader);
  const fields = (e0: number) =>
    packUniform([
      ['u32', K],
      ['u32', n],
      ['u32', permutationRounds(n)],
      ['u32', e0],
      ['u32', epochs],
      ['u32', shape.perEpoch ? 1 : 0],
    ]);
  const params = scope.uniform(fields(0), 'permutation/params');
  const dispatch = makeDispatch(
    gpu,
    kernel,
    [params, buffers.keys, buffers.out, buffers.scratch],
    [Math.ceil(K / PERMUTATION_WORKGROUP), epochs],
  );
  return {
    dispatch,
    setFirstEpoch(e0) {
      assertInteger('setFirstEpoch', 'e0', e0, 0, 2 ** 32 - 1);
      gpu.device.queue.writeBuffer(params, 0, fields(e0));
    },
  };
}

/** Options of {@link gpuPermutations}. */
export interface GpuPermutationsOptions {
  /** A new order per epoch from `foldIn(key, e)` (default true); false: `permutation(key, n)`. */
  perEpoch?: boolean;
  /** First epoch (default 0). */
  firstEpoch?: number;
  /** Number of epochs (default 1). */
  epochs?: number;
}

/**
 * Core's permutations for many keys at once, computed on the GPU: entry `((e − firstEpoch)·K + k)·n
 * + i` is `permutation(foldIn(keys[k], e), n)[i]` (or `permutation(keys[k], n)[i]` with
 * `perEpoch: false`). Partitionable key scheme (JAX ≥ 0.5, core's default).
 *
 * @example
 * ```ts
 * const keys = split(key(0), 3);
 * const orders = await gpuPermutations(gpu, keys, 200, { epochs: 2 }); // 2·3·200 indices
 * // orders.subarray(200, 400) equals permutation(foldIn(keys[1], 0), 200)
 * ```
 */
export async function gpuPermutations(
  gpu: Gpu,
  keys: readonly Key[],
  n: number,
  options: GpuPermutationsOptions = {},
): Promise<Uint32Array> {
  const fn = 'gpuPermutations';
  const words = packKeys(fn, 'keys', keys);
  assertInteger(fn, 'n', n, 1, 2 ** 31 - 1);
  if (options === null || typeof options !== 'object') {
    throw invalidArgument(fn, 'options', options, 'an object');
  }
  const epochs = options.epochs ?? 1;
  assertInteger(fn, 'options.epochs', epochs, 1);
  const first = options.firstEpoch ?? 0;
  assertInteger(fn, 'options.firstEpoch', first, 0, 2 ** 32 - epochs);
  const perEpoch = options.perEpoch ?? true;
  if (typeof perEpoch !== 'boolean') {
    throw invalidArgument(fn, 'options.perEpoch', perEpoch, 'a boolean');
  }
  const K = keys.length;
  const total = epochs * K * n;
  const scope = new BufferScope(gpu, fn);
  try {
    const keyBuf = scope.storage(words, 'keys', fn);
    const out = scope.storage(total, 'orders', fn);
    const scratch = scope.storage(total * PERMUTATION_SCRATCH_WORDS, 'scratch', fn);
    const p = await preparePermutations(
      gpu,
      scope,
      { keys: keyBuf, out, scratch },
      { K, n, epochs, perEpoch },
    );
    p.setFirstEpoch(first);
    await runDispatches(gpu, [p.dispatch], 1, fn);
    return await readU32(gpu, out, total);
  } finally {
    scope.dispose();
  }
}
