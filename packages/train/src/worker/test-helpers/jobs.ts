/**
 * The job description of the worker tests and its `setup`, shared by the in-thread tests
 * (MessageChannel), the `worker_threads` worker and the browser worker, so that all three train
 * exactly the trainer the tests build directly.
 */
import { initChain, initMlp, key, mlpSpec } from '@annlab/core';
import {
  adam,
  cosineDecay,
  createTrainer,
  type FitOptions,
  type Model,
  restoreTrainer,
  type TrainerSnapshot,
} from '../../index.js';
import type { WorkerSetup } from '../serve.js';

/** A test job: plain data, as a page would post it. */
export interface TestJob {
  readonly model: 'chain' | 'mlp';
  readonly batch: 'full' | 'sgd' | number;
  readonly epochs: number;
  /** Adam with a cosine schedule instead of plain SGD. */
  readonly schedule?: boolean;
  /** A validation fraction with early stopping of this patience. */
  readonly patience?: number;
  /** Learning rate of SGD (default 0.05); a huge one makes training diverge. */
  readonly learningRate?: number;
  /** Continue from this snapshot instead of a fresh model. */
  readonly snapshot?: TrainerSnapshot;
}

/** 40 points of sin(2x) on [−1, 1]. */
export function testData(): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: 40 }, (_, i) => -1 + (2 * i) / 39);
  return { x, y: x.map((v) => Math.sin(2 * v)) };
}

export function testModel(job: TestJob): Model {
  if (job.model === 'chain') return { kind: 'chain', params: initChain(key(3), 3) };
  const spec = mlpSpec([1, 6, 1], 'tanh', 'identity');
  return { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(3))) };
}

export function testOptions(job: TestJob): FitOptions {
  return {
    epochs: job.epochs,
    batch: job.batch,
    key: 7,
    ...(job.schedule
      ? { optimizer: adam(cosineDecay(0.02, { decaySteps: 2000, alpha: 0.1 })) }
      : { learningRate: job.learningRate ?? 0.05 }),
    ...(job.patience !== undefined
      ? { validation: { fraction: 0.25 }, earlyStopping: { patience: job.patience } }
      : {}),
  };
}

/** The trainer a test job describes (what the tests also build directly, as the reference). */
export function buildTrainer(job: TestJob) {
  const data = testData();
  const options = testOptions(job);
  // A schedule cannot be rebuilt from a snapshot: pass the same optimizer again.
  return job.snapshot
    ? restoreTrainer(job.snapshot, data, options.optimizer ? { optimizer: options.optimizer } : {})
    : createTrainer(testModel(job), data, options);
}

/** The `setup` of the test workers. */
export function setupTestJob(job: TestJob): WorkerSetup<{ n: number }, { epoch: number }> {
  const trainer = buildTrainer(job);
  return { trainer, epochs: job.epochs, info: { n: 40 }, extra: () => ({ epoch: trainer.epoch }) };
}
