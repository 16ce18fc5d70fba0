/// <reference lib="webworker" />
/**
 * The training worker: one job at a time, trained in chunks of epochs so that `pause`, `step` and
 * `reset` take effect between chunks and the page gets progress after each one.
 */
import { requestGpu } from '@annlab/gpu';
import { createCpuEngine, type Engine } from './engine.js';
import { createGpuEngine } from './gpuEngine.js';
import { accuracy, neuronOutputs } from './neurons.js';
import { checkJob, type FromWorker, type JobSpec, outputsOf, type ToWorker } from './protocol.js';

declare const self: DedicatedWorkerGlobalScope;

let engine: Engine | undefined;
let job: JobSpec | undefined;
let running = false;
let generation = 0;

function post(message: FromWorker): void {
  self.postMessage(message);
}

function fail(e: unknown): void {
  running = false;
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  post({ type: 'state', running: false });
}

async function chunk(k: number): Promise<void> {
  if (!engine || !job) return;
  const r = await engine.run(k);
  let acc: { train: number; test?: number } | undefined;
  if (job.classes !== undefined) {
    const w = outputsOf(job.model);
    acc = { train: accuracy(engine.predict(job.x), job.y, w) };
    if (job.test && job.test.y.length > 0) {
      acc = { ...acc, test: accuracy(engine.predict(job.test.x), job.test.y, w) };
    }
  }
  post({
    type: 'progress',
    epoch: engine.epoch,
    epochs: job.epochs,
    at: r.at,
    loss: r.loss,
    ...(r.testLoss ? { testLoss: r.testLoss } : {}),
    ...(acc ? { accuracy: acc } : {}),
    ...(job.neuronGrid ? { neurons: neuronOutputs(engine.model(), job.neuronGrid) } : {}),
    updates: r.updates,
    time: r.time,
    ...(job.grid ? { prediction: engine.predict(job.grid) } : {}),
    ...(r.gradNorms ? { gradNorms: r.gradNorms } : {}),
    params: engine.params(),
  });
  if (engine.epoch >= job.epochs) {
    running = false;
    post({ type: 'done', epoch: engine.epoch, model: engine.save() });
    post({ type: 'state', running: false });
  }
}

async function loop(gen: number): Promise<void> {
  while (running && gen === generation && engine && job) {
    try {
      await chunk(job.chunk);
    } catch (e) {
      fail(e);
      return;
    }
    // Let pause/step/reset messages in between chunks.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function start(next: JobSpec): Promise<void> {
  engine?.dispose();
  engine = undefined;
  job = undefined;
  running = false;
  const gen = ++generation;
  const problem = checkJob(next);
  if (problem) throw new Error(problem);
  let adapter: string | undefined;
  let created: Engine;
  if (next.backend === 'webgpu') {
    const nav = (self as unknown as { navigator?: { gpu?: GPU } }).navigator;
    if (!nav?.gpu) throw new Error('WebGPU is not available in this browser; choose the CPU');
    const gpu = await requestGpu({ gpu: nav.gpu });
    adapter = [gpu.adapter.vendor, gpu.adapter.architecture].filter(Boolean).join(' ');
    created = await createGpuEngine(gpu, next);
  } else {
    created = createCpuEngine(next);
  }
  if (gen !== generation) {
    created.dispose();
    return;
  }
  engine = created;
  job = next;
  post({ type: 'ready', backend: next.backend, ...(adapter ? { adapter } : {}) });
  if (!next.paused) {
    running = true;
    post({ type: 'state', running: true });
    void loop(gen);
  } else {
    post({ type: 'state', running: false });
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'start':
      start(msg.job).catch(fail);
      break;
    case 'pause':
      running = false;
      post({ type: 'state', running: false });
      break;
    case 'resume':
      if (engine && job && !running && engine.epoch < job.epochs) {
        running = true;
        post({ type: 'state', running: true });
        void loop(generation);
      }
      break;
    case 'step':
      if (engine && !running) chunk(1).catch(fail);
      break;
    case 'reset':
      generation++;
      running = false;
      engine?.dispose();
      engine = undefined;
      job = undefined;
      post({ type: 'reset' });
      break;
  }
};
