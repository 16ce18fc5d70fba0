/**
 * The CPU training engine behind the worker: train's `fit`, run a few epochs at a time so the
 * worker can report progress, pause and step between chunks.
 *
 * Chunks replay one long `fit` exactly: the optimizer's state persists across calls (its `init`
 * returns the same state), epoch e of the whole run shuffles with `permutation(foldIn(key, e), n)`
 * (fit's own default order) and normalisation is fitted once, on the first chunk, then carried by
 * the model.
 */
import {
  chainParams,
  foldIn,
  initChain,
  initMlp,
  type Key,
  key,
  mlpLayout,
  mlpSpec,
  permutation,
} from '@annlab/core';
import {
  adam,
  cosineDecay,
  exponentialDecay,
  fit as fitModel,
  type GradientTransformation,
  type LearningRate,
  loadModel,
  type Model,
  momentum,
  type OptimizerState,
  predict,
  saveModel,
  sgd,
  stepDecay,
} from '@annlab/train';
import { inputsOf, type JobSpec, outputsOf, type Regularization } from './protocol.js';

/** What one chunk of training produced. */
export interface ChunkResult {
  /** Epoch numbers (1-based) of the points. */
  readonly at: number[];
  readonly loss: number[];
  /** Test loss at the same epochs (with a test set). */
  readonly testLoss?: number[];
  readonly updates: number[];
  readonly time: number[];
  readonly gradNorms?: number[];
}

/** A training run that advances in chunks of epochs. */
export interface Engine {
  /** Epochs completed. */
  readonly epoch: number;
  /** Runs k more epochs (fewer at the end of the run). */
  run(k: number): Promise<ChunkResult>;
  /** The network's outputs on inputs `x` (n × inputs, row-major). */
  predict(x: readonly number[]): number[];
  /** The current flat parameters. */
  params(): number[];
  /** The current model (with its normalisation). */
  model(): Model;
  /** The model as train's checkpoint JSON. */
  save(): string;
  dispose(): void;
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

/**
 * 1 at the weights and 0 at the biases of a model's flat parameters (a chain's are [w…, b…]; a dense
 * network's are W then b per layer).
 */
export function weightMask(model: Model): Uint8Array {
  if (model.kind === 'chain') {
    const d = model.params.depth;
    return Uint8Array.from({ length: 2 * d }, (_, i) => (i < d ? 1 : 0));
  }
  const layout = mlpLayout(model.spec);
  const mask = new Uint8Array(layout.size);
  for (const l of layout.layers) mask.fill(1, l.wOffset, l.wOffset + l.inSize * l.outSize);
  return mask;
}

/**
 * Adds the gradient of the penalty to `grads` in place: rate·sign(w) (l1; 0 at w = 0) or rate·w
 * (l2, the gradient of rate·½Σw²), at the weights only.
 */
export function addPenaltyGradient(
  grads: Float64Array,
  params: Float64Array,
  mask: Uint8Array,
  reg: Regularization,
): void {
  const { rate } = reg;
  for (let k = 0; k < grads.length; k++) {
    if (mask[k] === 0) continue;
    const w = params[k]!;
    grads[k] = grads[k]! + (reg.kind === 'l1' ? rate * Math.sign(w) : rate * w);
  }
}

/**
 * Wraps an optimizer so that every `init` after the first returns the state it already has, and
 * (given a penalty) adds the penalty's gradient to the loss's before each update.
 */
function persistent(
  opt: GradientTransformation,
  penalty?: { reg: Regularization; mask: Uint8Array },
): GradientTransformation {
  let state: OptimizerState | undefined;
  let buffer: Float64Array | undefined;
  return {
    config: opt.config,
    init(params) {
      state ??= opt.init(params);
      return state;
    },
    update(grads, s, params) {
      let g = grads;
      if (penalty && penalty.reg.rate > 0 && params) {
        buffer ??= new Float64Array(grads.length);
        buffer.set(grads);
        addPenaltyGradient(buffer, params, penalty.mask, penalty.reg);
        g = buffer;
      }
      const r = opt.update(g, s, params);
      state = r[1];
      return r;
    },
  };
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

/** Flat parameters of a model. */
export function modelParams(model: Model): Float64Array {
  return model.kind === 'chain' ? model.params.data : model.params;
}

/**
 * The CPU engine: `fit` in chunks, bit-identical to one `fit` over all the epochs.
 *
 * @example
 * ```ts
 * const engine = createCpuEngine(job);
 * const { loss } = await engine.run(10);
 * ```
 */
export function createCpuEngine(job: JobSpec): Engine {
  let model = initialModel(job);
  const n = job.y.length / outputsOf(job.model);
  const rootKey: Key = key(job.seed);
  const reg = job.regularization;
  const opt = persistent(
    optimizerOf(job, stepsPerEpoch(job.batch, n) * job.epochs),
    reg && reg.rate > 0 ? { reg, mask: weightMask(model) } : undefined,
  );
  const data = { x: Float64Array.from(job.x), y: Float64Array.from(job.y) };
  const test =
    job.test && job.test.y.length > 0
      ? { x: Float64Array.from(job.test.x), y: Float64Array.from(job.test.y) }
      : undefined;
  // classes are never standardised; inputs are
  const normalize =
    job.classes !== undefined ? { x: 'standard' as const, y: 'none' as const } : true;
  let epoch = 0;
  let updates = 0;
  let time = 0;
  return {
    get epoch() {
      return epoch;
    },
    async run(k) {
      const count = Math.min(k, job.epochs - epoch);
      if (count <= 0) return { at: [], loss: [], updates: [], time: [] };
      const base = epoch;
      const r = fitModel(model, data, {
        epochs: count,
        optimizer: opt,
        batch: job.batch,
        shuffle:
          job.shuffle === 'fixed'
            ? 'fixed'
            : (e: number) => permutation(foldIn(rootKey, base + e), n),
        key: rootKey,
        ...(model.kind === 'mlp' ? { loss: job.loss } : {}),
        normalize: base === 0 && job.normalize && job.checkpoint === undefined ? normalize : false,
        recordGradNorms: job.gradNorms === true,
        ...(test ? { validation: test } : {}),
      });
      model = r.model;
      const h = r.history;
      const result: ChunkResult = {
        at: Array.from(h.loss, (_, i) => base + i + 1),
        loss: Array.from(h.loss),
        ...(test ? { testLoss: Array.from(h.valLoss) } : {}),
        updates: Array.from(h.updates, (u) => u + updates),
        time: Array.from(h.time, (t) => t + time),
        ...(h.gradNorms.length > 0 ? { gradNorms: Array.from(h.gradNorms.at(-1)!) } : {}),
      };
      epoch += r.epochs;
      updates += r.epochs * r.stepsPerEpoch;
      time += h.wallTimeMs;
      return result;
    },
    predict(x) {
      const rows = x.length / inputsOf(job.model);
      return rows === 0 ? [] : Array.from(predict(model, Float64Array.from(x)));
    },
    params: () => Array.from(modelParams(model)),
    model: () => model,
    save: () => saveModel(model),
    dispose() {},
  };
}
