/**
 * What the MLP engine on WebGPU needs of a config: the device optimizer (`sgd`, `momentum`, `adam`;
 * a schedule's rate is set on the device before each run of updates that share a rate), a loss
 * with a GPU kernel, and the targets as the device reads them. The run itself is
 * `webgpuTrainer.ts`'s trainer, which `fit`, `fitAsync` and `createTrainer` all use.
 */
import type { OptimizerSpec } from '@annlab/core';
import { invalidArgument } from '@annlab/core/internal';
import type { MlpModel } from '../model.js';
import { type GpuLossRequest, gpuOptimizer, webGpuBlocker } from '../webgpu.js';
import type { TrainConfig } from './config.js';

/** What a WebGPU run of a config sends to the device trainer (checked by {@link gpuSetup}). */
export interface GpuSetup {
  readonly optimizer: OptimizerSpec;
  readonly schedule: ((step: number) => number) | undefined;
  readonly loss: GpuLossRequest;
  /** The training targets as the GPU reads them (integer labels as one-hot rows). */
  readonly y: Float64Array;
}

/**
 * Checks that a config maps onto a GPU trainer (`webGpuBlocker`: optimizer, loss, no dropLast),
 * throwing a `ValidationError` naming the option otherwise, and returns what the device needs.
 */
export function gpuSetup(cfg: TrainConfig): GpuSetup {
  const fn = cfg.fn;
  const m = cfg.model as MlpModel;
  const unsupported = (arg: string, value: unknown, expectation: string): never => {
    throw invalidArgument(fn, `options.${arg}`, value, `${expectation} for backend 'webgpu'`);
  };
  const blocked = webGpuBlocker(cfg);
  if (blocked) unsupported(blocked.arg, blocked.value, blocked.expectation);
  const schedule =
    typeof cfg.optimizer.config.learningRate === 'number' ? undefined : cfg.optimizer.learningRate;
  const optimizer = gpuOptimizer(cfg.optimizer.config, schedule);
  const loss = cfg.loss;
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

/** One-hot rows (rows × classes) of integer labels (checked by the config). */
function oneHot(labels: Float64Array, classes: number): Float64Array {
  const out = new Float64Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) out[i * classes + labels[i]!] = 1;
  return out;
}
