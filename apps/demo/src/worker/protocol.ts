/**
 * The demo's training jobs and the messages its chapters see.
 *
 * A chapter starts a {@link JobSpec} (plain data) in a worker that serves `@annlab/train/worker`
 * (`train.worker.ts`, with `adapter.ts` turning the job into a trainer), then sends `pause`,
 * `resume`, `step` (one epoch while paused) or `reset` through `client.ts`, which hands on the
 * worker's events as {@link FromWorker} messages: `ready` (with the backend actually used),
 * `progress` (new history points and the live prediction), `done`, `state` (running or paused),
 * `reset` and `error` (a message for the page to show).
 */
import type { ActivationSpec, LossName } from '@annlab/core';

/** Where training runs. */
export type Backend = 'cpu' | 'webgpu';
/** The optimizers the demo offers (the train package's, and the GPU kernels' three). */
export type OptimizerName = 'sgd' | 'momentum' | 'adam';
/** Learning-rate schedules of the step count. */
export type ScheduleName = 'constant' | 'step' | 'exponential' | 'cosine';
/** `'full'` batch, per-sample `'sgd'`, or a mini-batch size. */
export type BatchSetting = 'full' | 'sgd' | number;

/**
 * A penalty on the weights (not the biases), train's `l1`/`l2` options: the objective gains
 * `rate·Σ|w|` (l1) or `rate·Σw²` (l2).
 */
export interface Regularization {
  readonly kind: 'l1' | 'l2';
  readonly rate: number;
}

/** The network to train. */
export type ModelSetup =
  | {
      readonly kind: 'chain';
      readonly depth: number;
      /** N activations; default sigmoid ×(N−1) then identity. */
      readonly activations?: readonly ActivationSpec[];
      /** Initial [w_1..w_N, b_1..b_N]; default `initChain(key(seed), depth)`. */
      readonly params?: readonly number[];
    }
  | {
      readonly kind: 'mlp';
      readonly sizes: readonly number[];
      readonly hidden: ActivationSpec;
      readonly output: ActivationSpec;
    };

/** A training job. */
export interface JobSpec {
  readonly model: ModelSetup;
  /** A saved model (train's `saveModel` JSON) to continue from instead of a fresh initialisation. */
  readonly checkpoint?: string;
  /** Inputs, n × inputs row-major. */
  readonly x: readonly number[];
  /** Targets, n × outputs row-major. */
  readonly y: readonly number[];
  /** Seed of the initialisation and of the shuffles. */
  readonly seed: number;
  /**
   * Sample order: `'epoch'` (default) a new permutation each epoch; `'fixed'` the lecture's one
   * permutation `permutation(key(seed), n)` reused every epoch.
   */
  readonly shuffle?: 'epoch' | 'fixed';
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly schedule: ScheduleName;
  readonly batch: BatchSetting;
  readonly epochs: number;
  /** MLP loss (the chain always trains on ½(ŷ − y)²). */
  readonly loss: LossName;
  /** Standardise x and y on the training data. */
  readonly normalize: boolean;
  readonly backend: Backend;
  /** Epochs between progress messages (≥ 1). */
  readonly chunk: number;
  /** Inputs at which the live prediction is sent with each progress message. */
  readonly grid?: readonly number[];
  /** Send the mean per-layer gradient norms of the last epoch. */
  readonly gradNorms?: boolean;
  /** Set up, but wait for `resume` or `step` before training. */
  readonly paused?: boolean;
  /** A test set (same layout as x, y): its loss is reported beside the training loss. */
  readonly test?: { readonly x: readonly number[]; readonly y: readonly number[] };
  /**
   * Classification into this many classes (≥ 2): targets are 0/1 (one output) or one-hot (one
   * output per class), the targets are never standardised, and progress reports accuracies.
   */
  readonly classes?: number;
  /** A penalty on the weights (not the biases): train's `l1`/`l2` options. */
  readonly regularization?: Regularization;
  /** Inputs at which each hidden and output neuron's own output is sent with each progress. */
  readonly neuronGrid?: readonly number[];
}

/** Messages from the worker. */
export type FromWorker =
  | { readonly type: 'ready'; readonly backend: Backend; readonly adapter?: string }
  | {
      readonly type: 'progress';
      /** Epochs completed. */
      readonly epoch: number;
      readonly epochs: number;
      /** Epoch numbers (1-based) of the points below: every epoch on the CPU, chunk ends on the GPU. */
      readonly at: number[];
      /** Training loss at those epochs. */
      readonly loss: number[];
      /** Test loss at those epochs (with a test set). */
      readonly testLoss?: number[];
      /** Classification: the fraction of training and test points classified right, now. */
      readonly accuracy?: { readonly train: number; readonly test?: number };
      /** Per layer (hidden layers, then the output), per neuron, its output on `neuronGrid`. */
      readonly neurons?: number[][][];
      /** Updates made by the end of those epochs. */
      readonly updates: number[];
      /** Milliseconds of training by the end of those epochs. */
      readonly time: number[];
      /** The network on `grid` (outputs per grid point, row-major). */
      readonly prediction?: number[];
      /** Mean per-layer gradient norm of the last epoch. */
      readonly gradNorms?: number[];
      /** The current flat parameters. */
      readonly params: number[];
    }
  | { readonly type: 'state'; readonly running: boolean }
  | { readonly type: 'done'; readonly epoch: number; readonly model: string }
  | { readonly type: 'reset' }
  | { readonly type: 'error'; readonly message: string };

/** Limits the demo enforces before any work (the page refuses larger runs with a message). */
export const LIMITS = {
  maxPoints: 5000,
  maxDepth: 12,
  maxChainDepth: 300,
  maxWidth: 128,
  maxEpochs: 20000,
  /** Parameter updates × parameters per run. */
  maxWork: 4e9,
} as const;

/**
 * Checks a job against {@link LIMITS}; returns a message naming the offending setting, or
 * undefined when it is acceptable.
 *
 * @example
 * ```ts
 * checkJob({ ...job, epochs: 1e9 }); // 'epochs must be an integer in [1, 20000], got 1000000000'
 * ```
 */
export function checkJob(job: JobSpec): string | undefined {
  const n = job.y.length / outputsOf(job.model);
  if (!Number.isInteger(n) || n < 1 || n > LIMITS.maxPoints) {
    return `the number of points must be in [1, ${LIMITS.maxPoints}], got ${n}`;
  }
  if (!Number.isInteger(job.epochs) || job.epochs < 1 || job.epochs > LIMITS.maxEpochs) {
    return `epochs must be an integer in [1, ${LIMITS.maxEpochs}], got ${job.epochs}`;
  }
  if (!(Number.isFinite(job.learningRate) && job.learningRate > 0 && job.learningRate <= 10)) {
    return `the learning rate must be in (0, 10], got ${job.learningRate}`;
  }
  if (job.classes !== undefined && !(Number.isInteger(job.classes) && job.classes >= 2)) {
    return `classes must be an integer ≥ 2, got ${job.classes}`;
  }
  const r = job.regularization;
  if (r !== undefined && !((r.kind === 'l1' || r.kind === 'l2') && r.rate >= 0 && r.rate <= 10)) {
    return `regularization must be l1 or l2 with a rate in [0, 10], got ${JSON.stringify(r)}`;
  }
  if (!Number.isInteger(job.chunk) || job.chunk < 1) {
    return `chunk must be an integer ≥ 1, got ${job.chunk}`;
  }
  const m = job.model;
  let size: number;
  if (m.kind === 'chain') {
    if (!Number.isInteger(m.depth) || m.depth < 1 || m.depth > LIMITS.maxChainDepth) {
      return `the depth must be an integer in [1, ${LIMITS.maxChainDepth}], got ${m.depth}`;
    }
    size = 2 * m.depth;
  } else {
    const hidden = m.sizes.length - 2;
    if (hidden < 0 || hidden > LIMITS.maxDepth) {
      return `the number of hidden layers must be in [0, ${LIMITS.maxDepth}], got ${hidden}`;
    }
    for (const s of m.sizes) {
      if (!Number.isInteger(s) || s < 1 || s > LIMITS.maxWidth) {
        return `layer widths must be integers in [1, ${LIMITS.maxWidth}], got ${s}`;
      }
    }
    size = 0;
    for (let l = 1; l < m.sizes.length; l++) size += m.sizes[l]! * (m.sizes[l - 1]! + 1);
  }
  const perEpoch = job.batch === 'sgd' ? n : 1;
  const work = job.epochs * Math.max(perEpoch, n) * size;
  if (work > LIMITS.maxWork) {
    return `this run is too large for a browser tab (${job.epochs} epochs × ${n} points × ${size} parameters); use fewer epochs, points or units`;
  }
  return undefined;
}

/** Output width of a model setup. */
export function outputsOf(m: ModelSetup): number {
  return m.kind === 'chain' ? 1 : m.sizes[m.sizes.length - 1]!;
}

/** Input width of a model setup. */
export function inputsOf(m: ModelSetup): number {
  return m.kind === 'chain' ? 1 : m.sizes[0]!;
}
