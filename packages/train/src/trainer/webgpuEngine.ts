/**
 * The MLP engine on WebGPU: training runs on an injected GPU trainer (see `../webgpu.ts`), with
 * the loss and parameters read back every `progressEvery` epochs, or every epoch with validation
 * or early stopping. A learning-rate schedule sets the trainer's rate before each run of updates
 * that share a rate; the validation loss is computed on the CPU (float64) from the parameters read
 * back; early stopping and the divergence guard work as on the CPU, on those read-backs.
 */
import {
  createMlpWorkspace,
  invalidArgument,
  loss as lossFunction,
  mlpForward,
  type OptimizerSpec,
} from '@annlab/core';
import type { MlpModel, Model } from '../model.js';
import {
  type GpuLossRequest,
  gpuOptimizer,
  isGpuLoss,
  runWebGpu,
  type WebGpuBackend,
} from '../webgpu.js';
import type { TrainConfig } from './config.js';
import { argmin } from './loop.js';
import { buildResult } from './result.js';
import type { FitResult } from './types.js';

/** Trains on the GPU trainer of `cfg.backend` and builds the result as on the CPU. */
/** What a WebGPU run of a config sends to the device trainer (checked by {@link gpuSetup}). */
export interface GpuSetup {
  readonly optimizer: OptimizerSpec;
  readonly schedule: ((step: number) => number) | undefined;
  readonly loss: GpuLossRequest;
  /** The training targets as the GPU reads them (integer labels as one-hot rows). */
  readonly y: Float64Array;
}

/**
 * Checks that a config maps onto a GPU trainer (optimizer, loss, no gradient norms, no dropLast),
 * throwing a `ValidationError` naming the option otherwise, and returns what the device needs.
 */
export function gpuSetup(cfg: TrainConfig, allowGradNorms = false): GpuSetup {
  const fn = cfg.fn;
  const m = cfg.model as MlpModel;
  const unsupported = (arg: string, value: unknown, expectation: string): never => {
    throw invalidArgument(fn, `options.${arg}`, value, `${expectation} for backend 'webgpu'`);
  };
  const schedule =
    typeof cfg.optimizer.config.learningRate === 'number' ? undefined : cfg.optimizer.learningRate;
  const optimizer = gpuOptimizer(cfg.optimizer.config, schedule);
  if (typeof optimizer === 'string') {
    unsupported(
      'optimizer',
      optimizer,
      'sgd(η), sgd(η, { momentum }), momentum(η) or adam(η, …) (η a number or a schedule)',
    );
  }
  const loss = cfg.loss;
  if (!isGpuLoss(loss))
    unsupported(
      'loss',
      loss,
      "'halfSquaredError', 'mse', 'sse', 'bceWithLogits' or 'softmaxCrossEntropy'",
    );
  if (cfg.recordGradNorms && !allowGradNorms) unsupported('recordGradNorms', true, 'false');
  if (cfg.dropLast) unsupported('dropLast', true, 'false');
  const classes = m.spec.sizes[m.spec.sizes.length - 1]!;
  const train = cfg.train;
  return {
    optimizer: optimizer as OptimizerSpec,
    schedule,
    loss: loss as GpuLossRequest,
    // the GPU's softmax cross-entropy reads probability rows: integer labels become one-hot rows
    y:
      loss === 'softmaxCrossEntropy' && train.y.cols === 1
        ? oneHot(train.y.data, classes)
        : train.y.data,
  };
}

/** Trains on the GPU trainer of `cfg.backend` and builds the result as on the CPU. */
export async function fitWebGpu<M extends Model>(cfg: TrainConfig<M>): Promise<FitResult<M>> {
  const { epochs, plan, train } = cfg;
  const m = cfg.model as MlpModel;
  const backend = cfg.backend as WebGpuBackend;
  const { optimizer, schedule, loss, y } = gpuSetup(cfg);

  const val = cfg.val;
  const es = cfg.earlyStopping;
  const lossHist = new Float64Array(epochs).fill(Number.NaN);
  const valHist = new Float64Array(val ? epochs : 0).fill(Number.NaN);
  const timeHist = new Float64Array(epochs).fill(Number.NaN);
  const updHist = new Float64Array(epochs);
  for (let e = 0; e < epochs; e++) updHist[e] = (e + 1) * plan.batchesPerEpoch;
  const outS = m.spec.sizes[m.spec.sizes.length - 1]!;
  const valWs = val ? createMlpWorkspace(m.spec, val.x.rows, 'float64') : undefined;
  const lossFn = lossFunction(loss);
  const valLoss = (params: Float64Array): number =>
    val
      ? lossFn.value(
          mlpForward(m.spec, params, val.x.data, val.x.rows, valWs!),
          val.y.data,
          val.x.rows * outS,
        )
      : Number.NaN;
  let best: Float64Array | undefined;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let sinceBest = 0;
  const t0 = performance.now();
  const out = await runWebGpu(backend.createTrainer, {
    spec: { sizes: [...m.spec.sizes], activations: [...m.spec.activations] },
    params: m.params,
    optimizer,
    loss,
    x: train.x.data,
    y,
    plan,
    regularization: cfg.regularization,
    epochs,
    every: val || es ? 1 : cfg.progressEvery,
    signal: cfg.signal,
    schedule,
    report(epoch, value, params, updates) {
      const now = performance.now() - t0;
      lossHist[epoch] = value;
      timeHist[epoch] = now;
      const vl = valLoss(params);
      if (val) valHist[epoch] = vl;
      if ((epoch + 1) % cfg.progressEvery === 0 || epoch === epochs - 1) {
        cfg.onProgress?.({
          epoch,
          epochs,
          loss: value,
          valLoss: vl,
          params,
          gradNorms: undefined,
          updates,
          elapsedMs: now,
        });
      }
      if (!es) return false;
      const monitored = val ? vl : value;
      if (monitored < bestLoss - es.minDelta) {
        bestLoss = monitored;
        bestEpoch = epoch;
        sinceBest = 0;
        if (es.restoreBest) best = params.slice();
        return false;
      }
      return ++sinceBest >= es.patience;
    },
  });
  const wallTimeMs = performance.now() - t0;
  const done = out.epochs;
  return buildResult(cfg, es?.restoreBest && best ? best : out.params, {
    loss: lossHist.slice(0, done),
    valLoss: valHist.slice(0, val ? done : 0),
    gradNorms: [],
    time: timeHist.slice(0, done),
    updates: updHist.slice(0, done),
    wallTimeMs,
    stopReason: out.aborted ? 'aborted' : out.stopped ? 'earlyStopping' : 'epochs',
    bestEpoch: es ? bestEpoch : argmin(lossHist, done, val ? valHist : undefined),
  });
}

/** One-hot rows (rows × classes) of integer labels (checked by the config). */
function oneHot(labels: Float64Array, classes: number): Float64Array {
  const out = new Float64Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) out[i * classes + labels[i]!] = 1;
  return out;
}
