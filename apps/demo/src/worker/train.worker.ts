/// <reference lib="webworker" />
/**
 * The training worker: `@annlab/train/worker` serving the demo's jobs (see `adapter.ts`), with the
 * GPU device created here, inside the worker, the first time a job asks for WebGPU.
 */
import { createGpuMlpTrainer, requestGpu } from '@annlab/gpu';
import type { WebGpuBackend } from '@annlab/train';
import { serveTrainer } from '@annlab/train/worker';
import { setupJob } from './adapter.js';
import type { JobSpec } from './protocol.js';

declare const self: DedicatedWorkerGlobalScope;

let adapter: string | undefined;

async function webgpu(): Promise<WebGpuBackend> {
  const nav = (self as unknown as { navigator?: { gpu?: GPU } }).navigator;
  if (!nav?.gpu) throw new Error('WebGPU is not available in this browser; choose the CPU');
  const gpu = await requestGpu({ gpu: nav.gpu });
  adapter = [gpu.adapter.vendor, gpu.adapter.architecture].filter(Boolean).join(' ') || undefined;
  return {
    kind: 'webgpu',
    createTrainer: (spec, params, options) => createGpuMlpTrainer(gpu, spec, params, options),
  };
}

serveTrainer(self, {
  setup: (job: JobSpec, context) => setupJob(job, context, () => adapter),
  webgpu,
});
