/**
 * The epoch loop, one batch range at a time, so that the trainer can stop after any update and
 * resume bit-identically.
 *
 * Steps of {@link advance}:
 * 1. At an epoch boundary: keep the parameters as the last good ones, draw the epoch's order and
 *    reset the epoch's loss sum and gradient-norm sums.
 * 2. Run up to `maxBatches` batches of the epoch on the engine, adding their losses to the sum.
 * 3. Check the sum and the parameters are finite; if not, put the last good parameters back and
 *    throw a {@link DivergenceError}.
 * 4. At the end of the epoch ({@link endEpoch}): record the epoch loss, validation loss, gradient
 *    norms, time and updates; report progress; apply early stopping.
 */
import { DivergenceError, TrainerStateError } from '../errors.js';
import type { TrainConfig } from './config.js';
import type { Engine } from './engine.js';
import type { ProgressEvent, StopReason } from './types.js';

/**
 * A history column: a Float64Array allocated for the run's epochs up front (so that recording an
 * epoch allocates nothing), doubled only if a run goes past them.
 */
export class Column {
  private data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(1, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(2 * this.data.length);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** Appends every value of `a`. */
  pushAll(a: ArrayLike<number>): void {
    for (let i = 0; i < a.length; i++) this.push(a[i]!);
  }
  /** Entry i (i < length). */
  at(i: number): number {
    return this.data[i]!;
  }
  /** A copy of the values. */
  values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Everything that changes while training, apart from the engine's parameters and optimizer. */
export interface LoopState {
  /** Epochs completed. */
  epoch: number;
  /** Batches done in the current epoch (0 at an epoch boundary). */
  batch: number;
  /** Loss sum of the current epoch so far. */
  sum: number;
  /** The current epoch's order (the plan's buffer), while inside an epoch. */
  order: Int32Array | undefined;
  /** Parameters at the start of the current epoch. */
  readonly lastGood: Float64Array;
  /** Parameters of the best epoch (with `restoreBest`). */
  readonly best: Float64Array | undefined;
  bestLoss: number;
  bestEpoch: number;
  sinceBest: number;
  readonly loss: Column;
  readonly valLoss: Column;
  readonly time: Column;
  readonly updates: Column;
  readonly gradNorms: Float64Array[];
  /** Milliseconds of training before the current call. */
  elapsedMs: number;
  /** `performance.now()` when the current call started. */
  clockStart: number;
  /** Why training stopped (undefined while it can go on). */
  stopReason: StopReason | undefined;
}

/** A fresh loop state for the engine's parameters. */
export function initialLoopState(cfg: TrainConfig, params: Float64Array): LoopState {
  return {
    epoch: 0,
    batch: 0,
    sum: 0,
    order: undefined,
    lastGood: params.slice(),
    best: cfg.earlyStopping?.restoreBest ? params.slice() : undefined,
    bestLoss: Number.POSITIVE_INFINITY,
    bestEpoch: 0,
    sinceBest: 0,
    loss: new Column(cfg.epochs),
    valLoss: new Column(cfg.val ? cfg.epochs : 0),
    time: new Column(cfg.epochs),
    updates: new Column(cfg.epochs),
    gradNorms: [],
    elapsedMs: 0,
    clockStart: performance.now(),
    stopReason: undefined,
  };
}

/** Milliseconds of training so far. */
export function elapsed(st: LoopState): number {
  return st.elapsedMs + (performance.now() - st.clockStart);
}

/** Steps 1–4 of the module comment; returns the number of batches run. */
export function advance(
  cfg: TrainConfig,
  engine: Engine,
  st: LoopState,
  maxBatches: number,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): number {
  const plan = cfg.plan;
  const params = engine.params;
  if (st.batch === 0 || st.order === undefined) {
    st.lastGood.set(params);
    st.order = plan.order(st.epoch);
    st.sum = 0;
    engine.normSums?.fill(0);
  }
  const from = st.batch;
  const to = Math.min(plan.batchesPerEpoch, from + maxBatches);
  const sum = engine.runBatches(st.order, from, to, st.sum);
  let check = sum - sum;
  for (let k = 0; k < params.length; k++) check += params[k]! * 0;
  if (check !== 0) {
    if (engine.divergence === '') engine.divergence = 'the parameters became non-finite';
    const e = st.epoch;
    const err = new DivergenceError(
      `${cfg.fn}: training diverged in epoch ${e} at update ${engine.steps}: ${engine.divergence}; lastGoodParams holds the parameters from the start of that epoch`,
      st.lastGood.slice(),
      e,
      engine.steps,
    );
    params.set(st.lastGood);
    throw err;
  }
  st.sum = sum;
  st.batch = to;
  if (to === plan.batchesPerEpoch) endEpoch(cfg, engine, st, onProgress);
  return to - from;
}

/** Step 4: the epoch's records, progress and early stopping. */
export function endEpoch(
  cfg: TrainConfig,
  engine: Engine,
  st: LoopState,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): void {
  const e = st.epoch;
  const params = engine.params;
  const loss = engine.epochLoss(st.sum);
  st.loss.push(loss);
  const vl = cfg.val ? engine.evaluate(cfg.val.x, cfg.val.y) : Number.NaN;
  if (cfg.val) st.valLoss.push(vl);
  let norms: Float64Array | undefined;
  if (engine.normSums) {
    norms = engine.normSums.map((s) => s / cfg.plan.batchesPerEpoch);
    st.gradNorms.push(norms);
  }
  const now = elapsed(st);
  st.time.push(now);
  st.updates.push(engine.steps);
  st.epoch = e + 1;
  st.batch = 0;
  st.order = undefined;
  st.sum = 0;
  if (onProgress && ((e + 1) % cfg.progressEvery === 0 || e === cfg.epochs - 1)) {
    onProgress({
      epoch: e,
      epochs: cfg.epochs,
      loss,
      valLoss: vl,
      params,
      gradNorms: norms,
      updates: engine.steps,
      elapsedMs: now,
      compute: cfg.compute,
    });
  }
  const monitored = cfg.val ? vl : loss;
  const es = cfg.earlyStopping;
  if (monitored < st.bestLoss - (es?.minDelta ?? 0)) {
    st.bestLoss = monitored;
    st.bestEpoch = e;
    st.sinceBest = 0;
    st.best?.set(params);
  } else if (es && ++st.sinceBest >= es.patience) {
    st.stopReason = 'earlyStopping';
    return;
  }
  if (st.epoch >= cfg.epochs) st.stopReason = 'epochs';
}

/** Index of the smallest of the first n entries of b (or a), skipping NaN (unread GPU epochs). */
export function argmin(a: ArrayLike<number>, n: number, b: ArrayLike<number> | undefined): number {
  const s = b ?? a;
  let k = -1;
  for (let i = 0; i < n; i++) if (!Number.isNaN(s[i]!) && (k < 0 || s[i]! < s[k]!)) k = i;
  return Math.max(k, 0);
}

/** Yields one macrotask, so that timers (`AbortSignal.timeout`), messages and the UI run. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    return new Promise((resolve) => {
      g.setImmediate!(resolve);
    });
  }
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      const port = ch.port1 as unknown as { onmessage: (() => void) | null; close(): void };
      port.onmessage = () => {
        port.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Whether training ran to its end (all epochs, or early stopping). */
export function isFinished(st: LoopState): boolean {
  return st.stopReason === 'epochs' || st.stopReason === 'earlyStopping';
}

/** Where a trainer stands between calls: `'running'` while its `run()` is in progress. */
export type TrainerStatus = 'ready' | 'disposed' | 'diverged' | 'running';

/**
 * Throws a `TrainerStateError` naming `fn` unless a trainer in `status` at `st` may train (or, with
 * `reading`, be read): disposed, running, diverged and finished trainers cannot train.
 */
export function checkTrainerStatus(
  fn: string,
  status: TrainerStatus,
  st: LoopState,
  reading: boolean,
): void {
  if (status === 'disposed') {
    throw new TrainerStateError(`${fn}: the trainer was disposed`, 'disposed');
  }
  if (status === 'running') {
    throw new TrainerStateError(
      `${fn}: run() is in progress; await it (or abort its signal) first`,
      'running',
    );
  }
  if (reading) return;
  if (status === 'diverged') {
    throw new TrainerStateError(
      `${fn}: training diverged; the parameters are the last good ones (result() has them); create a new trainer to go on`,
      'diverged',
    );
  }
  if (isFinished(st)) {
    throw new TrainerStateError(
      `${fn}: training has finished (${st.stopReason} after ${st.epoch} epochs)`,
      'finished',
    );
  }
}
