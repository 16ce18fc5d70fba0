/** `fit` and `fitAsync`: a trainer run to the end, synchronously or with yields. */
import type { Dataset } from '../data.js';
import type { MlpModel, Model } from '../model.js';
import { resolveConfig, type TrainConfig, wantsWebGpu } from './config.js';
import { trainerOfConfig } from './trainer.js';
import type { FitOptions, FitResult, WebGpuFitOptions } from './types.js';
import { WebGpuTrainer } from './webgpuTrainer.js';

/**
 * Trains a model and returns the trained copy, its history and why it stopped: a trainer
 * (`createTrainer`) run for all its epochs in one synchronous call.
 *
 * Batch modes: `batch: 'full'` (the mean gradient over the training set), `'sgd'` (one sample per
 * update, the lecture's rule) or a mini-batch size k; shuffling per `shuffle` and `key`. Any
 * optimizer from this package works; a plain `sgd(η)` on the chain with per-sample batches runs a
 * fused loop (the update inside the backward pass, nothing allocated).
 *
 * Throws a `ValidationError` naming the argument before any work (an unknown option name gets a
 * suggestion: `fit: unknown option 'lerningRate'; did you mean 'learningRate'?`), and a
 * {@link DivergenceError} (with the last finite parameters) if the loss or a gradient becomes NaN
 * or ±Infinity. A synchronous `fit` holds the thread: an `AbortSignal.timeout` cannot fire during
 * it; use {@link fitAsync} for that.
 *
 * MLPs also train with float32 passes (`dtype: 'float32'`) and on a GPU: with
 * `backend: { kind: 'webgpu', createTrainer }` (see {@link WebGpuFitOptions}) `fit` returns a
 * promise, and every error, validation included, rejects it.
 *
 * @example
 * ```ts
 * const net: ChainModel = { kind: 'chain', params: initChain(key(0), 3) };
 * const x = Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
 * const y = x.map((v) => -3 * v + 2);
 * const { model, history } = fit(net, { x, y }, { epochs: 500, batch: 'sgd', learningRate: 0.01 });
 * history.loss.at(-1); // final training loss
 * predict(model, [1, 2]);
 * ```
 */
export function fit<M extends MlpModel>(
  model: M,
  data: Dataset,
  options: WebGpuFitOptions,
): Promise<FitResult<M>>;
export function fit<M extends Model>(model: M, data: Dataset, options: FitOptions): FitResult<M>;
export function fit<M extends Model>(
  model: M,
  data: Dataset,
  options: FitOptions | WebGpuFitOptions,
): FitResult<M> | Promise<FitResult<M>> {
  if (wantsWebGpu(options)) {
    // Every failure, validation included, becomes a rejection of the returned promise.
    return (async () => fitResolved(resolveConfig('fit', model, data, options as FitOptions)))();
  }
  const cfg = resolveConfig('fit', model, data, options as FitOptions);
  const trainer = trainerOfConfig(cfg);
  try {
    trainer.runEpochs(cfg.epochs);
    return trainer.result();
  } finally {
    // also on a DivergenceError: a threaded trainer's workers end here
    trainer.dispose();
  }
}

/**
 * `fit` without holding the thread: the trainer's `run()`, which yields to the event loop about
 * every 16 ms of work, so that `options.signal` (an `AbortSignal.timeout`, a Stop button), timers
 * and the UI stay responsive. Aborting resolves with `stopReason: 'aborted'` and the parameters so
 * far. With a WebGPU backend it is `fit`.
 *
 * @example
 * ```ts
 * const r = await fitAsync(net, { x, y }, { epochs: 1e6, signal: AbortSignal.timeout(100) });
 * r.stopReason; // 'aborted'
 * ```
 */
export async function fitAsync<M extends Model>(
  model: M,
  data: Dataset,
  options: FitOptions | WebGpuFitOptions,
): Promise<FitResult<M>> {
  return fitResolved(resolveConfig('fitAsync', model, data, options as FitOptions));
}

/** Runs a resolved config to the end on its backend's trainer (CPU or WebGPU), then disposes it. */
async function fitResolved<M extends Model>(cfg: TrainConfig<M>): Promise<FitResult<M>> {
  const trainer = cfg.backend !== 'cpu' ? new WebGpuTrainer(cfg) : trainerOfConfig(cfg);
  try {
    return await trainer.run();
  } finally {
    trainer.dispose();
  }
}
