/**
 * W5: MLP 2→256→256→256→1 ReLU, MSE, 100 full-batch SGD steps at 0.05 on one batch of 4096 points,
 * on WebGPU (annlab, TF.js webgpu, jax-js webgpu on the same adapter) and on the CPU (annlab
 * float64, float32 and float32 on every core; TF.js wasm; jax-js wasm). Entries slower than a
 * time budget per run (30 s; 5 s in --quick, judged from a one-step warm-up) run fewer steps and
 * are extrapolated; losses are compared at 3 steps (1 in --quick) against float64.
 */
import { availableParallelism } from 'node:os';
import { annlabGpuMlpImpl, annlabMlpImpl, annlabThreadsImpl } from '../annlab.js';
import { w5Problem } from '../data.js';
import { handMlpTrainer, mlpLoss } from '../hand/mlp.js';
import { jaxImpl, jaxMlpTrainer, tfImpl, tfMlpTrainer } from './peers.js';
import type { TrainingWorkload } from './types.js';

const p = w5Problem();

/** W5 and its implementations. */
export const w5: TrainingWorkload = {
  id: 'W5',
  title: 'MLP 2→256→256→256→1 ReLU, MSE, 100 full-batch SGD steps on 4096 points (WebGPU and CPU)',
  epochs: { full: 100, quick: 5 },
  updatesPerEpoch: 1,
  checkEpochs: { full: 3, quick: 1 },
  tolerance: { rtol: 1e-3, atol: 1e-6 },
  lossLabel: 'MSE over the batch',
  losses: (params) => [mlpLoss(p, params)],
  reference: () => handMlpTrainer(p),
  impls: {
    annlab: {
      ...annlabGpuMlpImpl(p),
      warmupEpochs: 1,
      budgetMs: { full: 30_000, quick: 5_000 },
    },
    annlabPolling: {
      ...annlabGpuMlpImpl(p, true),
      warmupEpochs: 1,
      maxRuns: 1,
      budgetMs: { full: 30_000, quick: 5_000 },
    },
    annlabCpu: {
      ...annlabMlpImpl(p, 'W5'),
      warmupEpochs: 1,
      budgetMs: { full: 30_000, quick: 5_000 },
    },
    annlabF32: {
      ...annlabMlpImpl(p, 'W5', 'float32'),
      warmupEpochs: 1,
      budgetMs: { full: 30_000, quick: 5_000 },
    },
    annlabThreads: {
      ...annlabThreadsImpl(p, availableParallelism()),
      warmupEpochs: 1,
      budgetMs: { full: 30_000, quick: 5_000 },
    },
    tfjsWasm: {
      ...tfImpl('wasm', () => tfMlpTrainer(p), undefined, 1),
      budgetMs: { full: 30_000, quick: 5_000 },
    },
    jaxWasm: {
      ...jaxImpl('wasm', () => jaxMlpTrainer(p), undefined, 1),
      budgetMs: { full: 30_000, quick: 5_000 },
    },
    tfjsWebgpu: {
      ...tfImpl('webgpu', () => tfMlpTrainer(p), { full: 1, quick: 1 }, 1),
      maxRuns: 1,
    },
    jaxWebgpu: {
      ...jaxImpl('webgpu', () => jaxMlpTrainer(p), { full: 3, quick: 1 }, 1),
      budgetMs: { full: 30_000, quick: 5_000 },
    },
  },
};
