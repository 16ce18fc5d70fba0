/**
 * The WebGPU training engine behind the worker: gpu's `createGpuMlpTrainer` (float32, parameters
 * resident on the GPU). A width-one chain is trained as the MLP 1→1→…→1 with the same activations.
 *
 * Steps per chunk: 1. for each epoch set the scheduled learning rate and run its batches in one
 * submission; 2. read the parameters back once; 3. compute the training loss of the whole set in
 * float64 on the CPU from those parameters (the number plotted), and keep a CPU model for
 * predictions and export.
 */
import { chainParams, foldIn, type Key, key, type LossName, loss, permutation } from '@annlab/core';
import { createGpuMlpTrainer, type Gpu, type GpuMlpTrainer } from '@annlab/gpu';
import {
  fitStandardizer,
  type Model,
  type Normalization,
  predict,
  saveModel,
  standardize,
} from '@annlab/train';
import {
  type ChunkResult,
  type Engine,
  initialModel,
  learningRateOf,
  modelParams,
  stepsPerEpoch,
} from './engine.js';
import { inputsOf, type JobSpec, outputsOf } from './protocol.js';

/** Chain parameters [w…, b…] in the MLP layout [w_1, b_1, w_2, b_2, …] and back. */
function chainToMlp(p: Float64Array, depth: number): Float32Array {
  const out = new Float32Array(2 * depth);
  for (let i = 0; i < depth; i++) {
    out[2 * i] = p[i]!;
    out[2 * i + 1] = p[depth + i]!;
  }
  return out;
}

function mlpToChain(p: Float32Array, depth: number): Float64Array {
  const out = new Float64Array(2 * depth);
  for (let i = 0; i < depth; i++) {
    out[i] = p[2 * i]!;
    out[depth + i] = p[2 * i + 1]!;
  }
  return out;
}

/**
 * Sets up a GPU engine for the job (uploads data and parameters).
 *
 * @example
 * ```ts
 * const engine = await createGpuEngine(await requestGpu({ gpu: navigator.gpu }), job);
 * await engine.run(50);
 * ```
 */
export async function createGpuEngine(gpu: Gpu, job: JobSpec): Promise<Engine> {
  let model: Model = initialModel(job);
  const inputs = inputsOf(job.model);
  const outputs = outputsOf(job.model);
  const n = job.y.length / outputs;
  const rootKey: Key = key(job.seed);
  let x: Float64Array = Float64Array.from(job.x);
  let y: Float64Array = Float64Array.from(job.y);
  let norm: Normalization | undefined = model.normalization;
  if (!norm && job.normalize) {
    // classes are never standardised
    norm =
      job.classes !== undefined
        ? { x: fitStandardizer(x, inputs) }
        : { x: fitStandardizer(x, inputs), y: fitStandardizer(y, outputs) };
  }
  if (norm?.x) x = standardize(norm.x, x, inputs);
  if (norm?.y) y = standardize(norm.y, y, outputs);
  let tx: Float64Array | undefined;
  let ty: Float64Array | undefined;
  if (job.test && job.test.y.length > 0) {
    tx = Float64Array.from(job.test.x);
    ty = Float64Array.from(job.test.y);
    if (norm?.x) tx = standardize(norm.x, tx, inputs);
    if (norm?.y) ty = standardize(norm.y, ty, outputs);
  }
  if (job.regularization && job.regularization.rate > 0) {
    throw new Error('L1/L2 regularisation runs on the CPU backend only');
  }

  const chainDepth = model.kind === 'chain' ? model.params.depth : 0;
  const spec =
    model.kind === 'chain'
      ? {
          sizes: new Array<number>(chainDepth + 1).fill(1),
          activations: (model.activations ?? [
            ...new Array<string>(chainDepth - 1).fill('sigmoid'),
            'identity',
          ]) as never,
        }
      : model.spec;
  const lossName: LossName = model.kind === 'chain' ? 'halfSquaredError' : job.loss;
  const lossFn = loss(lossName);
  const initial =
    model.kind === 'chain'
      ? chainToMlp(model.params.data, chainDepth)
      : Float32Array.from(model.params);
  const steps = stepsPerEpoch(job.batch, n);
  const lr = learningRateOf(job, steps * job.epochs);
  // The chain trains on the batch mean of ½(ŷ − y)², which is 'mse' / 2: for SGD and momentum the
  // same updates come from 'mse' at half the learning rate; Adam is invariant to the loss's scale.
  const lrScale = model.kind === 'chain' && job.optimizer !== 'adam' ? 0.5 : 1;
  const rate = (step: number) => lrScale * (typeof lr === 'number' ? lr : lr(step));
  const batchSize = job.batch === 'full' ? n : job.batch === 'sgd' ? 1 : job.batch;
  const trainer: GpuMlpTrainer = await createGpuMlpTrainer(gpu, spec, initial, {
    optimizer:
      job.optimizer === 'adam'
        ? { name: 'adam', lr: rate(0) }
        : job.optimizer === 'momentum'
          ? { name: 'momentum', lr: rate(0), momentum: 0.9 }
          : { name: 'sgd', lr: rate(0) },
    loss: model.kind === 'chain' ? 'mse' : job.loss,
    data: { x: Float32Array.from(x), y: Float32Array.from(y) },
    batchSize,
    ...(batchSize < n ? { order: (e: number) => permutation(foldIn(rootKey, e), n) } : {}),
  });
  let epoch = 0;
  let time = 0;
  const pred = new Float64Array(n * outputs);

  /** The loss of the current model on standardised inputs and targets (per sample as fit reports). */
  const lossOn = (xs: Float64Array, ys: Float64Array): number => {
    const raw = { ...model, normalization: undefined } as Model;
    const p = predict(raw, xs);
    const m = ys.length / outputs;
    const total = lossFn.value(p, ys, m * outputs);
    return lossName === 'halfSquaredError' ? total / m : total;
  };

  const sync = async (): Promise<number> => {
    const p32 = await trainer.readParams();
    const extra = norm ? { normalization: norm } : {};
    if (model.kind === 'chain') {
      const data = mlpToChain(p32, chainDepth);
      const params = chainParams(data.subarray(0, chainDepth), data.subarray(chainDepth));
      model = { ...model, params, ...extra };
    } else {
      model = { ...model, params: Float64Array.from(p32), ...extra };
    }
    const raw = { ...model, normalization: undefined } as Model;
    pred.set(predict(raw, x));
    const total = lossFn.value(pred, y, n * outputs);
    return lossName === 'halfSquaredError' ? total / n : total;
  };

  return {
    get epoch() {
      return epoch;
    },
    async run(k) {
      const count = Math.min(k, job.epochs - epoch);
      if (count <= 0) return { at: [], loss: [], updates: [], time: [] };
      const t0 = performance.now();
      for (let e = 0; e < count; e++) {
        if (typeof lr !== 'number') trainer.optimizer.setLearningRate(rate(trainer.steps));
        await trainer.step(steps);
      }
      epoch += count;
      const l = await sync();
      time += performance.now() - t0;
      if (!Number.isFinite(l)) throw new Error(`training diverged by epoch ${epoch} (loss ${l})`);
      const result: ChunkResult = {
        at: [epoch],
        loss: [l],
        ...(tx && ty ? { testLoss: [lossOn(tx, ty)] } : {}),
        updates: [trainer.steps],
        time: [time],
      };
      return result;
    },
    predict(xs) {
      return xs.length === 0 ? [] : Array.from(predict(model, Float64Array.from(xs)));
    },
    params: () => Array.from(modelParams(model)),
    model: () => model,
    save: () => saveModel(model),
    dispose() {
      trainer.dispose();
    },
  };
}
