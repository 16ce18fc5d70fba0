/**
 * Prepared dispatches: a pipeline with its bind group and workgroup counts, recorded into one
 * compute pass so a whole training step is one submission.
 */
import type { Gpu } from './device.js';
import { GpuError } from './errors.js';
import type { CompiledKernel } from './pipelineCache.js';
import { waitForWork } from './wait.js';

/** One compute dispatch, ready to record. */
export interface Dispatch {
  readonly label: string;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly workgroups: readonly [number, number, number];
}

/** Binds `buffers` (in the kernel's binding order) and fixes the workgroup counts. */
export function makeDispatch(
  gpu: Gpu,
  kernel: CompiledKernel,
  buffers: readonly GPUBuffer[],
  workgroups: readonly [number, number?, number?],
  label = kernel.key,
): Dispatch {
  const max = gpu.limits.maxComputeWorkgroupsPerDimension;
  const wg: [number, number, number] = [workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1];
  for (const w of wg) {
    if (!(w >= 1 && w <= max)) {
      throw new GpuError(
        `${label}: needs ${wg.join('×')} workgroups, beyond this device's ${max} per dimension; split the work`,
      );
    }
  }
  if (buffers.length !== kernel.source.bindings.length) {
    throw new GpuError(
      `${label}: kernel ${kernel.key} binds ${kernel.source.bindings.length} buffers, got ${buffers.length}`,
    );
  }
  const bindGroup = gpu.device.createBindGroup({
    label,
    layout: kernel.layout,
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return { label, pipeline: kernel.pipeline, bindGroup, workgroups: wg };
}

/** Records `dispatches` in order into `pass` (storage writes are visible to later dispatches). */
export function encodeDispatches(
  pass: GPUComputePassEncoder,
  dispatches: readonly Dispatch[],
): void {
  for (const d of dispatches) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
  }
}

/**
 * Submits `repeat` rounds of `dispatches` in one compute pass inside validation and out-of-memory
 * error scopes, and waits until the GPU has finished.
 * @throws {@link GpuError} on a validation or out-of-memory error, {@link DeviceLostError} on loss.
 */
export async function runDispatches(
  gpu: Gpu,
  dispatches: readonly Dispatch[],
  repeat = 1,
  label = 'annlab',
): Promise<void> {
  gpu.assertAlive(label);
  const device = gpu.device;
  const startedAt = performance.now();
  openErrorScopes(device);
  const enc = device.createCommandEncoder({ label });
  const pass = enc.beginComputePass({ label });
  for (let r = 0; r < repeat; r++) encodeDispatches(pass, dispatches);
  pass.end();
  device.queue.submit([enc.finish()]);
  // The same list (same label, length and workgroups) takes about the same time per round.
  let groups = 0;
  for (const d of dispatches) groups += d.workgroups[0] * d.workgroups[1] * d.workgroups[2];
  const key = `runDispatches:${label}:${dispatches.length}:${groups}`;
  await waitForWork(gpu, key, repeat, startedAt, label);
  await closeErrorScopes(gpu, label);
}

/** Opens the out-of-memory and validation error scopes that {@link closeErrorScopes} checks. */
export function openErrorScopes(device: GPUDevice): void {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
}

/**
 * Closes the scopes of {@link openErrorScopes}.
 * @throws {@link GpuError} naming `label` if either scope caught an error.
 */
export async function closeErrorScopes(gpu: Gpu, label: string): Promise<void> {
  const validation = await gpu.guard(gpu.device.popErrorScope(), label);
  const oom = await gpu.guard(gpu.device.popErrorScope(), label);
  const err = validation ?? oom;
  if (err) throw new GpuError(`${label}: ${err.message}`);
}

/** Workgroup count for a grid-stride loop over `n` items with `size` threads per workgroup. */
export function strideWorkgroups(gpu: Gpu, n: number, size: number): number {
  return Math.max(1, Math.min(Math.ceil(n / size), gpu.limits.maxComputeWorkgroupsPerDimension));
}
