/**
 * The MLP engine on WebGPU: training runs on an injected GPU trainer (see `../webgpu.ts`), with
 * the loss and parameters read back every `progressEvery` epochs.
 */
import { invalidArgument } from '@annlab/core';
import type { MlpModel, Model } from '../model.js';
import {
  type GpuLossRequest,
  type GpuOptimizerRequest,
  gpuOptimizer,
  runWebGpu,
  type WebGpuBackend,
  webGpuBlocker,
} from '../webgpu.js';
import type { TrainConfig } from './config.js';
import { argmin } from './loop.js';
import { buildResult } from './result.js';
import type { FitResult } from './types.js';

/** Trains on the GPU trainer of `cfg.backend` and builds the result as on the CPU. */
export async function fitWebGpu<M extends Model>(cfg: TrainConfig<M>): Promise<FitResult<M>> {
  const { epochs, plan, train, fn } = cfg;
  const m = cfg.model as MlpModel;
  const backend = cfg.backend as WebGpuBackend;
  const unsupported = (arg: string, value: unknown, expectation: string) => {
    throw invalidArgument(fn, `options.${arg}`, value, `${expectation} for backend 'webgpu'`);
  };
  const blocked = webGpuBlocker({ ...cfg, optimizer: cfg.optimizer.config });
  if (blocked) unsupported(blocked.arg, blocked.value, blocked.expectation);
  const optimizer = gpuOptimizer(cfg.optimizer.config) as GpuOptimizerRequest;
  const loss = cfg.loss as GpuLossRequest;

  const lossHist = new Float64Array(epochs).fill(Number.NaN);
  const timeHist = new Float64Array(epochs).fill(Number.NaN);
  const updHist = new Float64Array(epochs);
  for (let e = 0; e < epochs; e++) updHist[e] = (e + 1) * plan.batchesPerEpoch;
  const t0 = performance.now();
  const out = await runWebGpu(backend.createTrainer, {
    spec: { sizes: [...m.spec.sizes], activations: [...m.spec.activations] },
    params: m.params,
    optimizer: optimizer as GpuOptimizerRequest,
    loss: loss as GpuLossRequest,
    x: train.x.data,
    y: train.y.data,
    plan,
    epochs,
    every: cfg.progressEvery,
    signal: cfg.signal,
    report(epoch, value, params, updates) {
      const now = performance.now() - t0;
      lossHist[epoch] = value;
      timeHist[epoch] = now;
      cfg.onProgress?.({
        epoch,
        epochs,
        loss: value,
        valLoss: Number.NaN,
        params,
        gradNorms: undefined,
        updates,
        elapsedMs: now,
      });
    },
  });
  const wallTimeMs = performance.now() - t0;
  const done = out.epochs;
  return buildResult(cfg, out.params, {
    loss: lossHist.slice(0, done),
    valLoss: new Float64Array(0),
    gradNorms: [],
    time: timeHist.slice(0, done),
    updates: updHist.slice(0, done),
    wallTimeMs,
    stopReason: out.aborted ? 'aborted' : 'epochs',
    bestEpoch: argmin(lossHist, done, undefined),
  });
}
