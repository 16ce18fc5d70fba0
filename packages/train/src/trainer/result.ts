/** The trained model (with normalisation and training record) and the {@link FitResult}. */
import { type Model, modelData, type TrainingRecord, withParams } from '../model.js';
import type { TrainConfig } from './config.js';
import { argmin, elapsed, type LoopState } from './loop.js';
import type { FitResult, History, StopReason } from './types.js';

/** Builds the result of a run from its config, final parameters and records. */
export function buildResult<M extends Model>(
  cfg: TrainConfig<M>,
  params: Float64Array,
  h: History & { stopReason: StopReason; bestEpoch: number },
): FitResult<M> {
  const m = cfg.model;
  const done = h.loss.length;
  const training: TrainingRecord = {
    optimizer: cfg.optimizer.config,
    epochs: done,
    updates: done > 0 ? h.updates[done - 1]! : 0,
    batch: cfg.batch,
    shuffle: cfg.plan.shuffle,
    dropLast: cfg.dropLast,
    loss: cfg.loss,
    ...(m.kind === 'chain' ? { gradientMethod: cfg.gradientMethod } : {}),
    ...(cfg.dtype === 'float32' && cfg.backend === 'cpu' ? { dtype: 'float32' } : {}),
    ...(cfg.backend !== 'cpu' ? { backend: 'webgpu' } : {}),
    ...(cfg.compute.threads > 1 ? { threads: cfg.compute.threads } : {}),
    key: [cfg.key[0]!, cfg.key[1]!] as const,
    stopReason: h.stopReason,
    finalLoss: done > 0 ? h.loss[done - 1]! : Number.NaN,
  };
  const trained = withParams(m, params, {
    ...(cfg.normalization ? { normalization: cfg.normalization } : {}),
    training,
  } as Partial<M>);
  const { stopReason, bestEpoch, ...history } = h;
  return {
    model: trained,
    params: modelData(trained),
    history,
    stopReason,
    epochs: done,
    bestEpoch,
    stepsPerEpoch: cfg.plan.batchesPerEpoch,
    compute: cfg.compute,
  };
}

/**
 * The result of a trainer's loop so far: the best epoch's parameters with early stopping's
 * `restoreBest`, else `params` (the engine's live ones); the history recorded; the wall time up to
 * now while `running`.
 */
export function resultOfLoop<M extends Model>(
  cfg: TrainConfig<M>,
  st: LoopState,
  params: Float64Array,
  running: boolean,
): FitResult<M> {
  const done = st.loss.length;
  const es = cfg.earlyStopping;
  const bestEpoch =
    es || done === 0
      ? st.bestEpoch
      : argmin(st.loss.values(), done, cfg.val ? st.valLoss.values() : undefined);
  return buildResult(cfg, es?.restoreBest && st.best && done > 0 ? st.best : params, {
    loss: st.loss.values(),
    valLoss: st.valLoss.values(),
    gradNorms: st.gradNorms.map((g) => g.slice()),
    time: st.time.values(),
    updates: st.updates.values(),
    wallTimeMs: running ? elapsed(st) : st.elapsedMs,
    stopReason: st.stopReason ?? 'aborted',
    bestEpoch,
  });
}
