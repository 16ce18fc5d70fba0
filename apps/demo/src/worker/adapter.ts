/**
 * The demo's adapter from a {@link JobSpec} (plain data the page can post) to train's trainer:
 * the initial model, the dataset and `createTrainer`'s options. The worker
 * (`train.worker.ts`) serves it with `@annlab/train/worker`; nothing here trains by itself.
 */
import { chainParams, initChain, initMlp, key, type LossName, loss, mlpSpec } from '@annlab/core';
import {
  adam,
  autoTargetScaling,
  cosineDecay,
  createTrainer,
  exponentialDecay,
  type FitOptions,
  fitMinMax,
  fitStandardizer,
  type GradientTransformation,
  type LearningRate,
  loadModel,
  type MlpModel,
  type Model,
  momentum,
  type Normalization,
  predict,
  sgd,
  standardize,
  stepDecay,
  type Trainer,
  type WebGpuBackend,
} from '@annlab/train';
import type { SetupContext, WorkerSetup } from '@annlab/train/worker';
import { accuracy, neuronOutputs } from './neurons.js';
import { type Backend, checkJob, inputsOf, type JobSpec, outputsOf } from './protocol.js';

/** Sent with `ready`: the backend used (and the GPU adapter's name on WebGPU). */
export interface ReadyInfo {
  readonly backend: Backend;
  readonly adapter?: string;
}

/**
 * Sent with each `progress`: the network's outputs on the job's grid; for classification the
 * accuracies on the training and test rows; each neuron's output on the job's `neuronGrid`.
 */
export interface ProgressExtra {
  readonly prediction?: Float64Array;
  readonly accuracy?: { readonly train: number; readonly test?: number };
  readonly neurons?: number[][][];
  /** The test loss now (WebGPU runs, whose trainer has no validation set). */
  readonly testLoss?: number;
}

/**
 * The loss of a model on a dataset in the units training reports it in (targets standardised as
 * the model does), with the conventions of train's validation loss.
 */
export function datasetLoss(
  model: Model,
  name: LossName,
  x: readonly number[],
  y: readonly number[],
): number {
  const outputs = model.kind === 'mlp' ? model.spec.sizes.at(-1)! : 1;
  let pred: Float64Array = Float64Array.from(predict(model, Float64Array.from(x)));
  let target: Float64Array = Float64Array.from(y);
  const sy = model.normalization?.y;
  if (sy) {
    pred = standardize(sy, Float64Array.from(pred), outputs);
    target = standardize(sy, target, outputs);
  }
  return loss(name).value(pred, target, target.length);
}

/** Updates per epoch for n samples under the job's batch setting. */
export function stepsPerEpoch(batch: JobSpec['batch'], n: number): number {
  if (batch === 'full') return 1;
  if (batch === 'sgd') return n;
  return Math.ceil(n / batch);
}

/**
 * The learning rate of the job as a schedule of the step count: constant, or decaying over the
 * whole run (step: ×0.5 every quarter; exponential and cosine: down to 1 % at the end).
 */
export function learningRateOf(job: JobSpec, totalSteps: number): LearningRate {
  const lr = job.learningRate;
  const total = Math.max(1, Math.round(totalSteps));
  switch (job.schedule) {
    case 'step':
      return stepDecay(lr, { stepSize: Math.max(1, Math.ceil(total / 4)), gamma: 0.5 });
    case 'exponential':
      return exponentialDecay(lr, { rate: 0.01, transitionSteps: total });
    case 'cosine':
      return cosineDecay(lr, { decaySteps: total, alpha: 0.01 });
    default:
      return lr;
  }
}

/** The job's optimizer from the train package. */
export function optimizerOf(job: JobSpec, totalSteps: number): GradientTransformation {
  const lr = learningRateOf(job, totalSteps);
  if (job.optimizer === 'adam') return adam(lr);
  if (job.optimizer === 'momentum') return momentum(lr, { beta: 0.9 });
  return sgd(lr);
}

/** The job's initial model: a checkpoint, given chain parameters, or a keyed initialisation. */
export function initialModel(job: JobSpec): Model {
  if (job.checkpoint !== undefined) return loadModel(job.checkpoint);
  const m = job.model;
  if (m.kind === 'chain') {
    const params = m.params
      ? chainParams(m.params.slice(0, m.depth), m.params.slice(m.depth))
      : initChain(key(job.seed), m.depth);
    return m.activations
      ? { kind: 'chain', params, activations: [...m.activations] }
      : { kind: 'chain', params };
  }
  const spec = mlpSpec([...m.sizes], m.hidden, m.output);
  return { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(job.seed))) };
}

/**
 * `createTrainer`'s options for a job: the job's optimizer and schedule over the whole run, its
 * batches shuffled by its seed, its loss (MLPs), normalisation on a fresh model, and gradient norms
 * when asked.
 */
export function trainerOptions(job: JobSpec, model: Model): FitOptions {
  const n = job.y.length / outputsOf(job.model);
  const reg = job.regularization;
  return {
    epochs: job.epochs,
    optimizer: optimizerOf(job, stepsPerEpoch(job.batch, n) * job.epochs),
    // train's own penalties on the weights (CPU and WebGPU)
    ...(reg && reg.rate > 0 ? (reg.kind === 'l1' ? { l1: reg.rate } : { l2: reg.rate }) : {}),
    batch: job.batch,
    key: job.seed,
    ...(job.shuffle === 'fixed' ? { shuffle: 'fixed' as const } : {}),
    // classes are never standardised; the inputs are
    normalize:
      job.normalize && job.checkpoint === undefined
        ? job.classes !== undefined
          ? { x: 'standard', y: 'none' }
          : true
        : false,
    ...(model.kind === 'mlp' ? { loss: job.loss } : {}),
    ...(job.gradNorms === true ? { recordGradNorms: true } : {}),
    ...(job.test && job.test.y.length > 0
      ? { validation: { x: Float64Array.from(job.test.x), y: Float64Array.from(job.test.y) } }
      : {}),
  };
}

/**
 * The normalisation a run of the job fits (that of {@link trainerOptions}: inputs standardised,
 * targets by train's `autoTargetScaling`, none for classes), or the model's own when it carries one
 * or the job does not normalise. Lets the page see a WebGPU run's live model before it ends.
 */
export function normalizationOf(job: JobSpec, model: Model): Normalization | undefined {
  if (!(job.normalize && job.checkpoint === undefined)) return model.normalization;
  const inputs = inputsOf(job.model);
  const outputs = outputsOf(job.model);
  const x = fitStandardizer(Float64Array.from(job.x), inputs);
  if (job.classes !== undefined || model.kind !== 'mlp') return { x };
  const t = autoTargetScaling(model.spec.activations.at(-1)!, job.loss);
  const data = Float64Array.from(job.y);
  const y =
    t.method === 'standard'
      ? fitStandardizer(data, outputs)
      : t.method === 'minmax'
        ? fitMinMax(data, outputs, t.range)
        : undefined;
  return y ? { x, y } : { x };
}

/** The CPU trainer of a job (checked against the demo's limits first). */
export function trainerOf(job: JobSpec): Trainer {
  const problem = checkJob(job);
  if (problem) throw new Error(problem);
  const model = initialModel(job);
  const data = { x: Float64Array.from(job.x), y: Float64Array.from(job.y) };
  return createTrainer(model, data, trainerOptions(job, model));
}

/**
 * The WebGPU trainer of an MLP job: train's `createTrainer` on the worker's GPU device, with the
 * job's options except the test set (the test loss goes with each progress instead, so that the
 * parameters are read back every `chunk` epochs rather than every epoch). A pause keeps the device
 * trainer and its optimizer state.
 */
export function gpuTrainerOf(job: JobSpec, backend: WebGpuBackend): Trainer {
  if (job.model.kind !== 'mlp')
    throw new Error('WebGPU trains MLPs here; choose the CPU for a chain');
  const problem = checkJob(job);
  if (problem) throw new Error(problem);
  const model = initialModel(job) as MlpModel;
  const data = { x: Float64Array.from(job.x), y: Float64Array.from(job.y) };
  const { validation: _test, ...base } = trainerOptions(job, model);
  return createTrainer(model, data, { ...base, progressEvery: job.chunk, backend });
}

/** `model` with the flat parameters `p` (copied). */
export function withParams(model: Model, p: Float64Array): Model {
  if (model.kind === 'mlp') return { ...model, params: Float64Array.from(p) };
  const d = model.params.depth;
  return { ...model, params: chainParams(p.subarray(0, d), p.subarray(d)) };
}

/**
 * The worker's `setup`: checks the job against the demo's limits and builds its trainer (on the
 * GPU device of the worker for `backend: 'webgpu'`).
 *
 * @example
 * ```ts
 * serveTrainer(self, { setup: (job: JobSpec, context) => setupJob(job, context), webgpu });
 * ```
 */
export async function setupJob(
  job: JobSpec,
  context: SetupContext,
  adapter?: () => string | undefined,
): Promise<WorkerSetup<ReadyInfo, ProgressExtra>> {
  const gpu = job.backend === 'webgpu';
  const trainer: Trainer = gpu ? gpuTrainerOf(job, await context.webgpu()) : trainerOf(job);
  const grid = job.grid && job.grid.length > 0 ? Float64Array.from(job.grid) : undefined;
  const name = adapter?.();
  // A trainer cannot be read while it runs: predict from its live parameters, with the model (and
  // normalisation) it was set up with.
  const template = trainer.result().model;
  const current = (): Model => withParams(template, trainer.params);
  const w = outputsOf(job.model);
  const test = job.test && job.test.y.length > 0 ? job.test : undefined;
  const extra = (): ProgressExtra => {
    const model = current();
    let acc: ProgressExtra['accuracy'];
    if (job.classes !== undefined) {
      const train = accuracy(predict(model, Float64Array.from(job.x)), job.y, w);
      acc = test
        ? { train, test: accuracy(predict(model, Float64Array.from(test.x)), test.y, w) }
        : { train };
    }
    return {
      ...(gpu && test ? { testLoss: datasetLoss(model, job.loss, test.x, test.y) } : {}),
      ...(grid ? { prediction: predict(model, grid) } : {}),
      ...(acc ? { accuracy: acc } : {}),
      ...(job.neuronGrid ? { neurons: neuronOutputs(model, job.neuronGrid) } : {}),
    };
  };
  const wanted =
    grid !== undefined ||
    test !== undefined ||
    job.classes !== undefined ||
    job.neuronGrid !== undefined;
  return {
    trainer,
    epochs: job.epochs,
    info: { backend: job.backend, ...(name ? { adapter: name } : {}) },
    ...(wanted ? { extra } : {}),
  };
}
