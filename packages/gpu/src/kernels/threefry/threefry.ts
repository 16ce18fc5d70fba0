/**
 * Random bits on the GPU equal to core's `randomBits(key, n, { scheme })`.
 */
import type { Key } from '@annlab/core';
import { assertInteger, invalidArgument, isKey } from '@annlab/core/internal';
import { BufferScope, readU32 } from '../../buffers.js';
import type { Gpu } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches } from '../../dispatch.js';
import { packUniform } from '../common.js';
import { makeThreefryShader, THREEFRY_WORKGROUP, type ThreefryScheme } from './threefry.wgsl.js';

function grid(gpu: Gpu, threads: number): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / THREEFRY_WORKGROUP));
  const max = gpu.limits.maxComputeWorkgroupsPerDimension;
  return groups <= max ? [groups, 1] : [max, Math.ceil(groups / max)];
}

/** Prepares `out[0..n) = randomBits(key, n)` into a GPU buffer (u32 words). */
export async function prepareRandomBits(
  gpu: Gpu,
  scope: BufferScope,
  k: Key,
  n: number,
  out: GPUBuffer,
  scheme: ThreefryScheme = 'partitionable',
): Promise<Dispatch> {
  const fn = 'prepareRandomBits';
  if (!isKey(k)) throw invalidArgument(fn, 'key', k, 'a key (Uint32Array of length 2)');
  assertInteger(fn, 'n', n, 1, 2 ** 32 - 1);
  if (scheme !== 'partitionable' && scheme !== 'legacy') {
    throw invalidArgument(fn, 'scheme', scheme, "'partitionable' or 'legacy'");
  }
  const kernel = await gpu.pipelines.get(`threefry(${scheme})`, () => makeThreefryShader(scheme));
  const params = scope.uniform(
    packUniform([
      ['u32', k[0]!],
      ['u32', k[1]!],
      ['u32', n],
      ['u32', 0],
    ]),
    'threefry/params',
  );
  const threads = scheme === 'partitionable' ? n : Math.ceil(n / 2);
  return makeDispatch(gpu, kernel, [params, out], grid(gpu, threads));
}

/**
 * `randomBits(key, n)` of core, computed on the GPU: the same uint32 words.
 * @example
 * ```ts
 * await gpuRandomBits(gpu, key(0), 4); // equals randomBits(key(0), 4)
 * ```
 */
export async function gpuRandomBits(
  gpu: Gpu,
  k: Key,
  n: number,
  options: { scheme?: ThreefryScheme } = {},
): Promise<Uint32Array> {
  const fn = 'gpuRandomBits';
  if (!isKey(k)) throw invalidArgument(fn, 'key', k, 'a key (Uint32Array of length 2)');
  assertInteger(fn, 'n', n, 1, 2 ** 32 - 1);
  const scope = new BufferScope(gpu, fn);
  try {
    const out = scope.storage(n, 'bits', fn);
    const d = await prepareRandomBits(gpu, scope, k, n, out, options.scheme ?? 'partitionable');
    await runDispatches(gpu, [d], 1, fn);
    return await readU32(gpu, out, n);
  } finally {
    scope.dispose();
  }
}
