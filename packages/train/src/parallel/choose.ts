/**
 * `backend: 'auto'`'s decision as a pure function: CPU threads or WebGPU for a network and batch,
 * from measured thresholds, with the reason in words (for `--json`, `info` and the demo).
 */
import { type MlpSpec, mlpLayout } from '@annlab/core';
import { PARALLEL_CHUNK_ROWS, parallelPays } from './pool.js';

/** What is known about the WebGPU adapter (from `GPUAdapter.info` and `isFallbackAdapter`). */
export interface AdapterFacts {
  /** True for software adapters (SwiftShader: a GPU emulated on the CPU). */
  readonly isFallbackAdapter: boolean;
  /** Vendor / architecture / description, for the reason. */
  readonly description?: string;
}

/**
 * Software rasterisers named in an adapter's description: treated as fallback adapters even where
 * `isFallbackAdapter` is false (Dawn in Node can report SwiftShader that way).
 */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|warp/i;

/** The choice and why. */
export interface BackendChoice {
  readonly backend: 'cpu' | 'webgpu';
  /** Threads on the CPU (1 for WebGPU). */
  readonly threads: number;
  readonly reason: string;
}

/**
 * Multiply-adds per step (batch × Σ in·out) from which a hardware GPU is chosen over the CPU: below
 * it a step is a few milliseconds of CPU work, which the GPU's per-dispatch latency (a dozen
 * dispatches per step, ~0.1–0.3 ms each) would not beat. Not measured on a hardware GPU (none was
 * available when it was set); W5 (5.4·10⁸) is above it, W4 (1.1·10⁶) below.
 */
export const WEBGPU_MIN_WORK = 1e8;

/**
 * Picks the backend for training `spec` on batches of `batch` rows:
 * - no adapter, or a software one (`isFallbackAdapter`, or SwiftShader, llvmpipe, lavapipe or WARP
 *   in its description): the CPU — on this machine
 *   SwiftShader runs W5 an order of magnitude slower than annlab's float32 CPU path;
 * - a hardware adapter and at least {@link WEBGPU_MIN_WORK} multiply-adds per step: WebGPU;
 * - otherwise the CPU, on `min(cores, threads)` threads where the batch pays for them
 *   ({@link parallelPays}) and shared memory is available, else one thread.
 *
 * @example
 * ```ts
 * const w5 = mlpSpec([2, 256, 256, 256, 1], 'relu');
 * chooseBackend(w5, 4096, { cores: 2, adapter: { isFallbackAdapter: true } });
 * // { backend: 'cpu', threads: 2, reason: 'CPU, 2 threads: the WebGPU adapter is a software emulation …' }
 * ```
 */
export function chooseBackend(
  spec: MlpSpec,
  batch: number,
  o: { cores: number; adapter?: AdapterFacts | null; sharedMemory?: boolean; threads?: number },
): BackendChoice {
  const macs = batch * mlpLayout(spec).layers.reduce((s, l) => s + l.inSize * l.outSize, 0);
  const name = o.adapter?.description ? ` (${o.adapter.description})` : '';
  let why: string;
  if (!o.adapter) why = 'no WebGPU adapter';
  else if (o.adapter.isFallbackAdapter || SOFTWARE_ADAPTER.test(o.adapter.description ?? '')) {
    why = `the WebGPU adapter${name} is a software emulation on the CPU, slower than the CPU kernels`;
  } else if (macs >= WEBGPU_MIN_WORK) {
    return {
      backend: 'webgpu',
      threads: 1,
      reason: `WebGPU${name}: ${macs.toExponential(1)} multiply-adds per step ≥ ${WEBGPU_MIN_WORK.toExponential(0)}`,
    };
  } else {
    why = `${macs.toExponential(1)} multiply-adds per step is below the ${WEBGPU_MIN_WORK.toExponential(0)} where the GPU pays`;
  }
  const want = Math.max(1, Math.min(o.cores, o.threads ?? o.cores));
  if (want > 1 && o.sharedMemory === false) {
    return {
      backend: 'cpu',
      threads: 1,
      reason: `CPU, 1 thread: ${why}; no shared memory (cross-origin isolation) for threads`,
    };
  }
  if (want > 1 && parallelPays(spec, batch)) {
    return { backend: 'cpu', threads: want, reason: `CPU, ${want} threads: ${why}` };
  }
  const small =
    want > 1
      ? `; a batch of ${batch} is below the size where threads pay (${PARALLEL_CHUNK_ROWS}-row chunks)`
      : '';
  return { backend: 'cpu', threads: 1, reason: `CPU, 1 thread: ${why}${small}` };
}
