/**
 * `createTrainer`: one resumable training object. It owns the model's live parameters, the
 * optimizer state, the normalisation, the shuffle stream, the validation split, the early-stopping
 * state and the history; `fit` and `fitAsync` are thin uses of it.
 *
 * Any way of cutting the same run into calls (`step()` by `step()`, `runEpochs(k)`, `run()` with
 * its yields, or a `snapshot()` restored with `restoreTrainer`) gives bit-identical parameters and
 * history, because every call goes through the same loop (`loop.ts`) and an engine that adds batch
 * losses in one running sum.
 */
import { chainParams, ValidationError } from '@annlab/core';
import { invalidArgument } from '@annlab/core/internal';
import type { Dataset } from '../data.js';
import { SnapshotError, TrainerStateError } from '../errors.js';
import { chainActivations, layerSlices, type Model, modelData } from '../model.js';
import {
  type GradientTransformation,
  type OptimizerConfig,
  type OptimizerState,
  optimizerFromConfig,
} from '../optimizers/index.js';
import { chainEngine } from './chainEngine.js';
import { rejectUnknownKeys, resolveConfig, type TrainConfig } from './config.js';
import type { Engine } from './engine.js';
import {
  advance,
  checkTrainerStatus,
  elapsed,
  initialLoopState,
  isFinished,
  type LoopState,
  type TrainerStatus,
  yieldToEventLoop,
} from './loop.js';
import { mlpEngine } from './mlpEngine.js';
import { resultOfLoop } from './result.js';
import {
  captureOptimizerState,
  f64,
  fail,
  loadOptimizerState,
  type OptimizerStateSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  snapshotParamCount,
  type TrainerSnapshot,
} from './snapshot.js';
import type {
  FitOptions,
  FitResult,
  ProgressEvent,
  StopReason,
  TrainerOptions,
  WebGpuFitOptions,
} from './types.js';
import { WebGpuTrainer } from './webgpuTrainer.js';

/** Options of {@link Trainer.run}. */
export interface RunOptions {
  /** Epochs to run in this call (default: up to `options.epochs`); finishing a started epoch counts as one. */
  epochs?: number;
  /** Stops at the next yield or epoch boundary, with `stopReason: 'aborted'`. */
  signal?: AbortSignal;
  /** Replaces `options.onProgress` for this call. */
  onProgress?: (event: ProgressEvent) => void;
  /** Yield to the event loop after about this many milliseconds of work (default 16). */
  yieldEveryMs?: number;
}

/** What {@link Trainer.runEpochs} returns. */
export interface RunSummary {
  /** Epochs completed by this call. */
  readonly epochsRun: number;
  /** Epochs completed in all. */
  readonly epoch: number;
  /** Why training stopped, or undefined when it can go on. */
  readonly stopReason: StopReason | undefined;
}

/**
 * A training run that can be stepped, run synchronously or asynchronously, checkpointed and
 * resumed; see {@link createTrainer}.
 */
export interface Trainer<M extends Model = Model> {
  /** Epochs completed. */
  readonly epoch: number;
  /** Epochs the run is configured for (`options.epochs`). */
  readonly epochs: number;
  /** Updates made. */
  readonly updates: number;
  /** Updates per epoch. */
  readonly stepsPerEpoch: number;
  /** The live parameters (training continues in this buffer; copy to keep). */
  readonly params: Float64Array;
  /** Why training stopped (`'epochs'`, `'earlyStopping'`, `'aborted'`), or undefined. */
  readonly stopReason: StopReason | undefined;
  /** Makes one update (one batch). */
  step(): void;
  /** Runs up to k epochs synchronously (a started epoch is finished first and counts as one). */
  runEpochs(k: number): RunSummary;
  /** Runs asynchronously, yielding to the event loop about every `yieldEveryMs` of work. */
  run(options?: RunOptions): Promise<FitResult<M>>;
  /** A checkpoint to continue from with {@link restoreTrainer} (see `snapshotToJSON`). */
  snapshot(): TrainerSnapshot;
  /** The model so far (best epoch's parameters with `restoreBest`), history and stop reason. */
  result(): FitResult<M>;
  /** Releases the trainer; any later call throws a `TrainerStateError`. */
  dispose(): void;
}

/** The option names of {@link Trainer.run}. */
export const RUN_OPTIONS = ['epochs', 'signal', 'onProgress', 'yieldEveryMs'];

class CpuTrainer<M extends Model> implements Trainer<M> {
  readonly cfg: TrainConfig<M>;
  readonly engine: Engine;
  readonly state: OptimizerState;
  readonly st: LoopState;
  private status: TrainerStatus = 'ready';

  constructor(cfg: TrainConfig<M>) {
    this.cfg = cfg;
    const m = cfg.model;
    const params = modelData(m).slice();
    this.state = cfg.optimizer.init(params);
    const slices = cfg.recordGradNorms ? layerSlices(m) : undefined;
    this.engine =
      m.kind === 'chain'
        ? chainEngine(
            cfg.fn,
            m,
            params,
            cfg.train,
            cfg.plan,
            cfg.optimizer,
            this.state,
            cfg.gradientMethod,
            slices,
          )
        : mlpEngine(
            m,
            params,
            cfg.train,
            cfg.plan,
            cfg.optimizer,
            this.state,
            cfg.loss,
            slices,
            cfg.dtype,
            cfg.parallel ? cfg.compute.threads : 0,
            cfg.regularization,
          );
    this.st = initialLoopState(cfg, params);
  }

  get epoch(): number {
    return this.st.epoch;
  }
  get epochs(): number {
    return this.cfg.epochs;
  }
  get updates(): number {
    return this.engine.steps;
  }
  get stepsPerEpoch(): number {
    return this.cfg.plan.batchesPerEpoch;
  }
  get params(): Float64Array {
    return this.engine.params;
  }
  get stopReason(): StopReason | undefined {
    return this.st.stopReason;
  }

  /** Throws unless the trainer may train (or, with `reading`, be read). */
  private check(fn: string, reading = false): void {
    checkTrainerStatus(fn, this.status, this.st, reading);
  }

  /** Runs up to maxBatches of the current epoch, marking the trainer on divergence. */
  private advance(maxBatches: number, onProgress: ((e: ProgressEvent) => void) | undefined) {
    try {
      return advance(this.cfg, this.engine, this.st, maxBatches, onProgress);
    } catch (e) {
      this.status = 'diverged';
      throw e;
    }
  }

  private startClock(): void {
    this.st.clockStart = performance.now();
  }
  private stopClock(): void {
    this.st.elapsedMs = elapsed(this.st);
    this.st.clockStart = performance.now();
  }

  step(): void {
    this.check('step');
    this.startClock();
    try {
      this.advance(1, this.cfg.onProgress);
    } finally {
      this.stopClock();
    }
  }

  runEpochs(k: number): RunSummary {
    this.check('runEpochs');
    if (!Number.isInteger(k) || k < 1) throw invalidArgument('runEpochs', 'k', k, 'an integer ≥ 1');
    const signal = this.cfg.signal;
    const start = this.st.epoch;
    const end = start + k;
    this.startClock();
    try {
      while (this.st.epoch < end && !isFinished(this.st)) {
        if (signal?.aborted && this.st.batch === 0) {
          this.st.stopReason = 'aborted';
          break;
        }
        this.advance(Number.POSITIVE_INFINITY, this.cfg.onProgress);
      }
    } finally {
      this.stopClock();
    }
    return {
      epochsRun: this.st.epoch - start,
      epoch: this.st.epoch,
      stopReason: this.st.stopReason,
    };
  }

  async run(options: RunOptions = {}): Promise<FitResult<M>> {
    const fn = 'run';
    this.check(fn);
    if (options === null || typeof options !== 'object') {
      throw invalidArgument(fn, 'options', options, 'an object');
    }
    rejectUnknownKeys(fn, 'options', options, RUN_OPTIONS);
    const k = options.epochs ?? Math.max(1, this.cfg.epochs - this.st.epoch);
    if (!Number.isInteger(k) || k < 1) {
      throw invalidArgument(fn, 'options.epochs', options.epochs, 'an integer ≥ 1');
    }
    const every = options.yieldEveryMs ?? 16;
    if (typeof every !== 'number' || !(every >= 0)) {
      throw invalidArgument(fn, 'options.yieldEveryMs', every, 'a number ≥ 0');
    }
    const signals = [this.cfg.signal, options.signal].filter((s) => s !== undefined);
    const onProgress = options.onProgress ?? this.cfg.onProgress;
    const end = this.st.epoch + k;
    const nb = this.cfg.plan.batchesPerEpoch;
    this.status = 'running';
    this.startClock();
    let chunk = 1;
    let lastYield = performance.now();
    try {
      while (this.st.epoch < end && !isFinished(this.st)) {
        if (signals.some((s) => s.aborted)) {
          this.st.stopReason = 'aborted';
          break;
        }
        const t = performance.now();
        this.advance(Math.min(chunk, nb), onProgress);
        const now = performance.now();
        // Grow the work between clock reads until it takes about a millisecond.
        if (now - t < 1 && chunk < nb) chunk *= 2;
        if (now - lastYield >= every) {
          await yieldToEventLoop();
          if ((this.status as string) === 'disposed') break;
          lastYield = performance.now();
        }
      }
    } finally {
      if (this.status === 'running') this.status = 'ready';
      this.stopClock();
    }
    this.check(fn, true);
    return this.result();
  }

  result(): FitResult<M> {
    this.check('result', true);
    return resultOfLoop(this.cfg, this.st, this.engine.params, this.status === 'running');
  }

  snapshot(): TrainerSnapshot {
    this.check('snapshot', true);
    if (this.status === 'diverged') {
      throw new TrainerStateError(
        'snapshot: training diverged; the optimizer state is not usable (result() has the last good parameters)',
        'diverged',
      );
    }
    return buildSnapshot(
      this.cfg,
      this.st,
      this.engine.params,
      captureOptimizerState(this.state),
      this.engine.steps,
      this.engine.normSums,
      this.status === 'running' ? elapsed(this.st) : this.st.elapsedMs,
    );
  }

  dispose(): void {
    this.status = 'disposed';
    this.engine.close?.();
  }

  /** Restores the mutable state from a checked snapshot (see {@link restoreTrainer}). */
  load(fn: string, s: TrainerSnapshot): void {
    const P = this.engine.params.length;
    const st = this.st;
    const nb = this.cfg.plan.batchesPerEpoch;
    const pos = s.position;
    if (pos === null || typeof pos !== 'object') fail(fn, '$.position', 'an object', pos);
    if (!Number.isInteger(pos.epoch) || pos.epoch < 0)
      fail(fn, '$.position.epoch', 'an integer ≥ 0', pos.epoch);
    if (!Number.isInteger(pos.batch) || pos.batch < 0 || pos.batch >= nb) {
      fail(
        fn,
        '$.position.batch',
        `an integer in [0, ${nb - 1}] (batches per epoch ${nb})`,
        pos.batch,
      );
    }
    if (!Number.isInteger(pos.updates) || pos.updates < 0)
      fail(fn, '$.position.updates', 'an integer ≥ 0', pos.updates);
    const h = s.history;
    if (h === null || typeof h !== 'object') fail(fn, '$.history', 'an object', h);
    const E = pos.epoch;
    f64(fn, '$.history.loss', h.loss, E);
    f64(fn, '$.history.time', h.time, E);
    f64(fn, '$.history.updates', h.updates, E);
    f64(fn, '$.history.valLoss', h.valLoss, this.cfg.val ? E : 0);
    const normSums = this.engine.normSums;
    const L = normSums?.length ?? 0;
    if (!Array.isArray(h.gradNorms) || h.gradNorms.length !== (normSums ? E : 0)) {
      fail(fn, '$.history.gradNorms', `an array of ${normSums ? E : 0} Float64Arrays`, h.gradNorms);
    }
    h.gradNorms.forEach((g, i) => {
      f64(fn, `$.history.gradNorms[${i}]`, g, L);
    });
    f64(fn, '$.lastGood', s.lastGood, P);
    const es = s.earlyStopping;
    if (es === null || typeof es !== 'object') fail(fn, '$.earlyStopping', 'an object', es);
    if (st.best) f64(fn, '$.earlyStopping.best', es.best, P);
    loadOptimizerState(fn, '$.optimizer.state', this.state, s.optimizer.state);
    if (normSums) normSums.set(f64(fn, '$.position.normSums', pos.normSums, L));
    this.engine.params.set(s.params);
    this.engine.steps = pos.updates;
    st.epoch = pos.epoch;
    st.batch = pos.batch;
    st.sum = pos.sum;
    st.order = pos.batch > 0 ? this.cfg.plan.order(pos.epoch) : undefined;
    st.lastGood.set(s.lastGood);
    if (st.best) st.best.set(es.best!);
    st.bestLoss = es.bestLoss;
    st.bestEpoch = es.bestEpoch;
    st.sinceBest = es.sinceBest;
    st.loss.pushAll(h.loss);
    st.valLoss.pushAll(h.valLoss);
    st.time.pushAll(h.time);
    st.updates.pushAll(h.updates);
    st.gradNorms.push(...h.gradNorms.map((g) => g.slice()));
    st.elapsedMs = pos.elapsedMs;
    st.stopReason = s.stopReason ?? undefined;
    if (st.stopReason === 'epochs' && st.epoch < this.cfg.epochs) st.stopReason = undefined;
  }
}

/** A snapshot of a trainer's state (shared by the CPU and WebGPU trainers). */
export function buildSnapshot(
  cfg: TrainConfig,
  st: LoopState,
  params: Float64Array,
  optimizerState: OptimizerStateSnapshot,
  updates: number,
  normSums: Float64Array | undefined,
  elapsedMs: number,
): TrainerSnapshot {
  const m = cfg.model;
  const val = cfg.validation;
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    model:
      m.kind === 'chain'
        ? {
            kind: 'chain',
            depth: m.params.depth,
            activations: chainActivations(cfg.fn, m).map((a) => a.spec),
            normalization: m.normalization ?? null,
          }
        : {
            kind: 'mlp',
            spec: { sizes: [...m.spec.sizes], activations: [...m.spec.activations] },
            normalization: m.normalization ?? null,
          },
    params: params.slice(),
    options: {
      epochs: cfg.epochs,
      samples: cfg.train.x.rows + (cfg.val && val && 'fraction' in val ? cfg.val.x.rows : 0),
      batch: cfg.batch,
      shuffle: typeof cfg.shuffle === 'function' ? 'custom' : cfg.shuffle,
      dropLast: cfg.dropLast,
      key: [cfg.key[0]!, cfg.key[1]!],
      loss: cfg.loss,
      gradientMethod: cfg.gradientMethod,
      normalize: { ...cfg.scaling },
      validation:
        val === undefined
          ? null
          : 'fraction' in val
            ? { fraction: val.fraction }
            : { x: val.x.data.slice(), y: val.y.data.slice() },
      earlyStopping: cfg.earlyStopping ? { ...cfg.earlyStopping } : null,
      recordGradNorms: cfg.recordGradNorms,
      progressEvery: cfg.progressEvery,
      dtype: cfg.dtype,
      ...(cfg.regularization ? { l1: cfg.regularization.l1, l2: cfg.regularization.l2 } : {}),
    },
    optimizer: { config: cfg.optimizer.config, state: optimizerState },
    position: {
      epoch: st.epoch,
      batch: st.batch,
      updates,
      sum: st.sum,
      normSums: normSums?.slice() ?? null,
      elapsedMs,
    },
    lastGood: st.lastGood.slice(),
    earlyStopping: {
      bestLoss: st.bestLoss,
      bestEpoch: st.bestEpoch,
      sinceBest: st.sinceBest,
      best: st.best?.slice() ?? null,
    },
    history: {
      loss: st.loss.values(),
      valLoss: st.valLoss.values(),
      time: st.time.values(),
      updates: st.updates.values(),
      gradNorms: st.gradNorms.map((g) => g.slice()),
    },
    stopReason: st.stopReason ?? null,
  };
}

/**
 * Creates a trainer: checks and resolves the options once (as `fit` does; unknown option names
 * are an error with a suggestion), prepares the data, normalisation and batch plan, and holds the
 * run's state until `dispose()`.
 *
 * @example
 * ```ts
 * const trainer = createTrainer(net, { x, y }, { epochs: 500, batch: 'sgd', learningRate: 0.01 });
 * trainer.runEpochs(100); // synchronous
 * const saved = snapshotToJSON(trainer.snapshot());
 * const { model, history } = await trainer.run({ signal: AbortSignal.timeout(1000) });
 * ```
 *
 * With `backend: { kind: 'webgpu', createTrainer }` (an MLP) the updates run on the GPU: `run()`
 * drives it epoch by epoch through the same records as on the CPU (schedules, validation, early
 * stopping, the divergence guard, progress), a second `run()` continues the same device trainer
 * (its optimizer state included), and `step()`/`runEpochs()` throw a `TrainerStateError`
 * (`state: 'asynchronous'`). Its `snapshot()` cannot hold the device's optimizer moments: a
 * restore restarts them.
 *
 * ```ts
 * const gpuTrainer = createTrainer(mlp, { x, y }, { epochs: 1000, optimizer: adam(0.01), backend });
 * await gpuTrainer.run({ epochs: 100 }); // pause…
 * await gpuTrainer.run(); // …and go on with the same Adam moments
 * ```
 */
export function createTrainer<M extends Model>(
  model: M,
  data: Dataset,
  options: TrainerOptions | WebGpuFitOptions,
): Trainer<M> {
  const cfg = resolveConfig('createTrainer', model, data, options as TrainerOptions);
  if (cfg.backend !== 'cpu') return new WebGpuTrainer(cfg);
  return new CpuTrainer(cfg);
}

/** Internal: a CPU trainer of an already resolved config (for `fit`). */
export function trainerOfConfig<M extends Model>(cfg: TrainConfig<M>): Trainer<M> {
  return new CpuTrainer(cfg);
}

/** Options `restoreTrainer` accepts; everything else comes from the snapshot. */
export interface RestoreOptions {
  /** Required when the snapshot's optimizer uses a schedule; must have the snapshot's config. */
  optimizer?: GradientTransformation;
  /** Continue to this many epochs in all (default: the snapshot's). */
  epochs?: number;
  /** Required when the snapshot was taken with a shuffle function. */
  shuffle?: FitOptions['shuffle'];
  onProgress?: FitOptions['onProgress'];
  progressEvery?: number;
  signal?: AbortSignal;
}

const RESTORE_OPTIONS = ['optimizer', 'epochs', 'shuffle', 'onProgress', 'progressEvery', 'signal'];

/** The first path where two configs differ, or undefined. */
function configDiff(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return path;
    for (let i = 0; i < a.length; i++) {
      const d = configDiff(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = configDiff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
    return undefined;
  }
  return Number.isNaN(a) && Number.isNaN(b) ? undefined : path;
}

function valueAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const part of path.replace(/^\$\.optimizer\.config/, '').match(/[^.[\]]+/g) ?? []) {
    v = (v as Record<string, unknown> | undefined)?.[part];
  }
  return v;
}

/**
 * Continues a run from a snapshot (`trainer.snapshot()`, possibly through `snapshotToJSON`) on the
 * same data: the result is bit-identical to a run that never stopped. The snapshot fixes the model,
 * the options and the optimizer; `options` may give the optimizer again (required with a
 * learning-rate schedule, which JSON cannot hold; its config must equal the snapshot's), the
 * shuffle function, progress reporting, a signal and a new total of epochs.
 *
 * Throws a `SnapshotError` naming the JSON path of the first field that does not fit (another
 * model's parameters, another optimizer or schedule, another data size).
 *
 * @example
 * ```ts
 * const saved = snapshotToJSON(trainer.snapshot());
 * const again = restoreTrainer(snapshotFromJSON(saved), { x, y });
 * again.runEpochs(100);
 * ```
 */
export function restoreTrainer<M extends Model = Model>(
  snapshot: TrainerSnapshot,
  data: Dataset,
  options: RestoreOptions = {},
): Trainer<M> {
  const fn = 'restoreTrainer';
  const s = snapshot;
  if (s === null || typeof s !== 'object') fail(fn, '$', 'a trainer snapshot', s);
  if (s.format !== SNAPSHOT_FORMAT) fail(fn, '$.format', `'${SNAPSHOT_FORMAT}'`, s.format);
  if (s.version !== SNAPSHOT_VERSION) {
    fail(fn, '$.version', `${SNAPSHOT_VERSION} (the version this library reads)`, s.version);
  }
  if (options === null || typeof options !== 'object') {
    throw invalidArgument(fn, 'options', options, 'an object');
  }
  for (const name of Object.keys(options)) {
    if (!RESTORE_OPTIONS.includes(name) && (name as string) in s.options) {
      throw new ValidationError(
        `${fn}: options.${name} is fixed by the snapshot ($.options.${name}); only ${RESTORE_OPTIONS.join(', ')} may be given`,
        fn,
        `options.${name}`,
      );
    }
  }
  rejectUnknownKeys(fn, 'options', options, RESTORE_OPTIONS);
  const P = snapshotParamCount(fn, s.model);
  const params = f64(fn, '$.params', s.params, P);
  for (let i = 0; i < P; i++) {
    if (!Number.isFinite(params[i]!)) fail(fn, `$.params[${i}]`, 'a finite number', params[i]);
  }
  const so = s.options;
  if (so === null || typeof so !== 'object') fail(fn, '$.options', 'an object', so);
  const oc = s.optimizer?.config;
  if (oc === null || typeof oc !== 'object')
    fail(fn, '$.optimizer.config', 'an optimizer config', oc);
  let optimizer: GradientTransformation;
  if (options.optimizer !== undefined) {
    const given = (options.optimizer as { config?: OptimizerConfig } | null)?.config;
    const d = configDiff(oc, given, '$.optimizer.config');
    if (d) {
      throw new SnapshotError(
        `${fn}: options.optimizer differs from the snapshot's at ${d}: the snapshot has ${JSON.stringify(valueAt(oc, d))}, options.optimizer ${JSON.stringify(valueAt(given, d))}`,
        d,
      );
    }
    optimizer = options.optimizer;
  } else {
    const rebuilt = optimizerFromConfig(oc);
    if (!rebuilt) {
      throw new SnapshotError(
        `${fn}: the snapshot's optimizer (${oc.name}${oc.schedule ? ` with ${oc.schedule}` : ''}) cannot be rebuilt from JSON (a learning-rate schedule or a custom transformation); pass the same optimizer as options.optimizer`,
        '$.optimizer.config',
      );
    }
    optimizer = rebuilt;
  }
  const sm = s.model;
  const norm = sm.normalization ? { normalization: sm.normalization } : {};
  const model = (
    sm.kind === 'chain'
      ? {
          kind: 'chain',
          params: chainParams(params.subarray(0, sm.depth), params.subarray(sm.depth)),
          activations: sm.activations,
          ...norm,
        }
      : { kind: 'mlp', spec: sm.spec, params: params.slice(), ...norm }
  ) as M;
  if (so.shuffle === 'custom' && typeof options.shuffle !== 'function') {
    throw new ValidationError(
      `${fn}: the snapshot was taken with a shuffle function ($.options.shuffle 'custom'); pass it again as options.shuffle`,
      fn,
      'options.shuffle',
    );
  }
  if (options.shuffle !== undefined && so.shuffle !== 'custom') {
    throw new ValidationError(
      `${fn}: options.shuffle is fixed by the snapshot ($.options.shuffle '${so.shuffle}')`,
      fn,
      'options.shuffle',
    );
  }
  const v = so.validation;
  const fitOptions: FitOptions = {
    epochs: options.epochs ?? so.epochs,
    optimizer,
    batch: so.batch,
    shuffle: so.shuffle === 'custom' ? options.shuffle! : so.shuffle,
    dropLast: so.dropLast,
    key: Uint32Array.from(so.key),
    ...(sm.kind === 'mlp' ? { loss: so.loss, dtype: so.dtype } : {}),
    ...(so.l1 !== undefined ? { l1: so.l1 } : {}),
    ...(so.l2 !== undefined ? { l2: so.l2 } : {}),
    ...(sm.kind === 'chain'
      ? { gradientMethod: so.gradientMethod as FitOptions['gradientMethod'] }
      : {}),
    normalize: so.normalize,
    ...(v ? { validation: 'fraction' in v ? { fraction: v.fraction } : { x: v.x, y: v.y } } : {}),
    ...(so.earlyStopping ? { earlyStopping: so.earlyStopping } : {}),
    recordGradNorms: so.recordGradNorms,
    progressEvery: options.progressEvery ?? so.progressEvery,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const cfg = resolveConfig(fn, model, data, fitOptions);
  const samples = cfg.train.x.rows + (v && 'fraction' in v ? (cfg.val?.x.rows ?? 0) : 0);
  if (samples !== so.samples) {
    fail(
      fn,
      '$.options.samples',
      `the number of samples in data (${samples}): restore on the same data`,
      so.samples,
    );
  }
  const trainer = new CpuTrainer(cfg);
  trainer.load(fn, s);
  return trainer;
}
