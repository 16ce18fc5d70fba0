/**
 * The worker's side: {@link serveTrainer} answers a host's commands with one trainer at a time.
 *
 * Steps of a job:
 * 1. `start`: stop and dispose of the previous job; call `setup(job, context)` (the caller's
 *    adapter from its job description to a trainer); report `ready`; run unless `paused`.
 * 2. Running: `trainer.run({ epochs: left, signal, onProgress, yieldEveryMs })`. Each epoch's loss
 *    is recorded; every `progressEvery` epochs (and at the end of each run) the records, a copy of
 *    the parameters and the `extra` hook's value go out in one `progress` message.
 * 3. `pause` aborts the run's signal (the trainer stops at its next yield, between updates);
 *    `resume` starts a new run with the epochs left; `step` runs k epochs while paused. All runs of
 *    a job continue one trajectory: the trainer owns the optimizer, shuffle and early-stopping state.
 * 4. The job ends with `done` (all epochs, or early stopping), with `error` (the trainer stays, so
 *    its last good parameters can still be read by `snapshot`), or on `abort` (`done` with
 *    `stopReason: 'aborted'`, then the trainer is disposed).
 */
import { saveModel } from '../checkpoint.js';
import { DivergenceError } from '../errors.js';
import type { FitResult, ProgressEvent, TrainerSnapshot } from '../index.js';
import type { WebGpuBackend } from '../webgpu.js';
import { cloneForTransfer, copyOf, listen, type MessageEndpoint } from './endpoint.js';
import type { ProgressMessage, StartOptions, TrainerCommand, TrainerEvent } from './protocol.js';

/** What {@link serveTrainer} needs of a trainer (`createTrainer`'s `Trainer` has all of it). */
export interface WorkerTrainer {
  /** Epochs completed. */
  readonly epoch: number;
  /** Epochs the trainer is configured for. */
  readonly epochs?: number;
  /** The live flat parameters. */
  readonly params: Float64Array;
  run(options: {
    epochs?: number;
    signal?: AbortSignal;
    onProgress?: (event: ProgressEvent) => void;
    yieldEveryMs?: number;
  }): Promise<FitResult>;
  snapshot(): TrainerSnapshot;
  result(): FitResult;
  dispose(): void;
}

/** What `setup` returns: the trainer of a job and how far to train it. */
export interface WorkerSetup<I = unknown, X = unknown> {
  readonly trainer: WorkerTrainer;
  /**
   * Total epochs of the job, counted from epoch 0 (a restored trainer trains the rest); default
   * `trainer.epochs`.
   */
  readonly epochs?: number;
  /** Sent with `ready` (e.g. the backend and adapter actually used). */
  readonly info?: I;
  /** Called for each `progress` message; its value travels as the message's `extra`. */
  readonly extra?: () => X;
}

/** Passed to `setup`. */
export interface SetupContext {
  /**
   * The WebGPU backend of `fit`/`createTrainer`, made once per worker by the `webgpu` factory given
   * to {@link serveTrainer} (the GPU device lives in the worker).
   */
  webgpu(): Promise<WebGpuBackend>;
}

/** Options of {@link serveTrainer}. */
export interface ServeOptions<J, I, X> {
  /** Builds the trainer of a job (an adapter from the caller's job description). */
  setup(job: J, context: SetupContext): WorkerSetup<I, X> | Promise<WorkerSetup<I, X>>;
  /** Creates the WebGPU backend inside the worker, on the first job that asks for it. */
  webgpu?: () => Promise<WebGpuBackend>;
}

/** A running server; `close` stops listening and disposes of the current trainer. */
export interface TrainerServer {
  close(): void;
}

interface Job<X> {
  readonly id: number;
  readonly trainer: WorkerTrainer;
  readonly epochs: number;
  readonly extra: (() => X) | undefined;
  readonly progressEvery: number;
  readonly yieldEveryMs: number | undefined;
  /** The user wants it running (not paused). */
  running: boolean;
  /** Epochs asked for by `step` while paused. */
  steps: number;
  /** Snapshot requests waiting for the run in flight to stop. */
  snapshots: number[];
  /** A run is in flight. */
  busy: boolean;
  /** No more training: done, failed or aborted. */
  ended: boolean;
  controller: AbortController | undefined;
  /** Resolves when the run in flight (if any) has returned. */
  idle: Promise<void>;
  trainedMs: number;
  records: { at: number[]; loss: number[]; valLoss: number[]; updates: number[]; time: number[] };
  gradNorms: Float64Array | undefined;
}

function positiveInt(fn: string, arg: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`${fn}: ${arg} must be an integer ≥ 1, got ${String(v)}`);
  }
  return v;
}

/**
 * Serves trainers to a host over `endpoint` (a worker's `self`, or `parentPort` in a Node
 * `worker_threads` worker), one job at a time; `setup` turns the host's job description into a
 * trainer. The host side is {@link connectTrainer}.
 *
 * @example
 * ```ts
 * // train.worker.ts
 * import { createTrainer, loadModel, type FitOptions } from '@annlab/train';
 * import { serveTrainer } from '@annlab/train/worker';
 * type Job = { model: string; x: Float64Array; y: Float64Array; epochs: number; learningRate: number };
 * serveTrainer<Job>(self, {
 *   setup: (job) => ({
 *     trainer: createTrainer(loadModel(job.model), { x: job.x, y: job.y }, { epochs: job.epochs, learningRate: job.learningRate }),
 *     epochs: job.epochs,
 *   }),
 * });
 * ```
 */
export function serveTrainer<J, I = unknown, X = unknown>(
  endpoint: MessageEndpoint,
  options: ServeOptions<J, I, X>,
): TrainerServer {
  const fn = 'serveTrainer';
  if (typeof options?.setup !== 'function') {
    throw new TypeError(`${fn}: options.setup must be a function, got ${String(options?.setup)}`);
  }
  let job: Job<X> | undefined;
  /** Number of the latest `start`, to drop setups that finish after a newer start or abort. */
  let latest = -1;
  let gpu: Promise<WebGpuBackend> | undefined;
  const context: SetupContext = {
    webgpu() {
      if (!options.webgpu) {
        return Promise.reject(
          new Error(
            `${fn}: the job asks for WebGPU but this worker was served without a webgpu factory`,
          ),
        );
      }
      gpu ??= options.webgpu();
      return gpu;
    },
  };

  const post = (message: TrainerEvent<I, X>, transfer: ArrayBuffer[] = []) =>
    endpoint.postMessage(message, transfer);

  const errorMessage = (id: number, e: unknown, j: Job<X> | undefined, request?: number) => {
    const err = e instanceof Error ? e : new Error(String(e));
    const params =
      err instanceof DivergenceError
        ? copyOf(err.lastGoodParams)
        : j
          ? copyOf(j.trainer.params)
          : undefined;
    post(
      {
        type: 'error',
        id,
        ...(request !== undefined ? { request } : {}),
        name: err.name,
        message: err.message,
        epoch: j ? j.trainer.epoch : 0,
        ...(params ? { params } : {}),
      },
      params ? [params.buffer as ArrayBuffer] : [],
    );
  };

  const flush = (j: Job<X>) => {
    const r = j.records;
    if (r.at.length === 0) return;
    const params = copyOf(j.trainer.params);
    const msg: ProgressMessage<X> = {
      type: 'progress',
      id: j.id,
      epoch: r.at[r.at.length - 1]!,
      epochs: j.epochs,
      at: Float64Array.from(r.at),
      loss: Float64Array.from(r.loss),
      valLoss: Float64Array.from(r.valLoss),
      updates: Float64Array.from(r.updates),
      time: Float64Array.from(r.time),
      ...(j.gradNorms ? { gradNorms: copyOf(j.gradNorms) } : {}),
      params,
      ...(j.extra ? { extra: j.extra() } : {}),
    };
    for (const a of Object.values(r)) a.length = 0;
    const transfer: ArrayBuffer[] = [];
    const out = cloneForTransfer(msg, transfer);
    post(out, transfer);
  };

  const finish = (j: Job<X>, stopReason: FitResult['stopReason']) => {
    j.ended = true;
    j.running = false;
    const result = j.trainer.result();
    const params = copyOf(result.params);
    post(
      {
        type: 'done',
        id: j.id,
        epoch: j.trainer.epoch,
        stopReason,
        bestEpoch: result.bestEpoch,
        params,
        model: saveModel(result.model),
      },
      [params.buffer as ArrayBuffer],
    );
    post({ type: 'state', id: j.id, running: false, epoch: j.trainer.epoch });
  };

  /** Answers the snapshot requests that waited for the run in flight to stop. */
  const answerSnapshots = (j: Job<X>) => {
    for (const request of j.snapshots.splice(0)) takeSnapshot(j, request);
  };

  const takeSnapshot = (j: Job<X>, request: number) => {
    try {
      const transfer: ArrayBuffer[] = [];
      const snapshot = cloneForTransfer(j.trainer.snapshot(), transfer);
      post({ type: 'snapshot', id: j.id, request, snapshot }, transfer);
    } catch (e) {
      errorMessage(j.id, e, j, request);
    }
  };

  /** Runs the job while it is wanted running or has steps asked for; one run at a time. */
  const drive = async (j: Job<X>): Promise<void> => {
    if (j.busy || j.ended) return;
    j.busy = true;
    let release: () => void = () => {};
    j.idle = new Promise((ok) => {
      release = ok;
    });
    try {
      while (job === j && !j.ended) {
        const left = j.epochs - j.trainer.epoch;
        let k: number;
        if (j.running) k = left;
        else if (j.steps > 0) k = Math.min(j.steps, left);
        else break;
        j.steps = 0;
        if (k <= 0) {
          finish(j, 'epochs');
          break;
        }
        const controller = new AbortController();
        j.controller = controller;
        const before = j.trainer.epoch;
        const t0 = performance.now();
        let since = t0;
        const result = await j.trainer.run({
          epochs: k,
          signal: controller.signal,
          ...(j.yieldEveryMs !== undefined ? { yieldEveryMs: j.yieldEveryMs } : {}),
          onProgress(e) {
            const now = performance.now();
            j.trainedMs += now - since;
            since = now;
            const r = j.records;
            r.at.push(e.epoch + 1);
            r.loss.push(e.loss);
            r.valLoss.push(e.valLoss);
            r.updates.push(e.updates);
            r.time.push(j.trainedMs);
            j.gradNorms = e.gradNorms;
            if (r.at.length >= j.progressEvery) flush(j);
          },
        });
        j.trainedMs += performance.now() - since;
        j.controller = undefined;
        if (job !== j || j.ended) break;
        flush(j);
        if (j.snapshots.length > 0) {
          // A run stopped for snapshots: answer them, then go on with what was asked.
          answerSnapshots(j);
          if (!j.running) j.steps += Math.max(0, k - (j.trainer.epoch - before));
        }
        if (result.stopReason === 'earlyStopping' || j.trainer.epoch >= j.epochs) {
          finish(j, result.stopReason === 'earlyStopping' ? 'earlyStopping' : 'epochs');
          break;
        }
        if (!j.running && j.steps === 0) {
          post({ type: 'state', id: j.id, running: false, epoch: j.trainer.epoch });
        }
      }
    } catch (e) {
      j.controller = undefined;
      answerSnapshots(j);
      if (job === j && !j.ended) {
        j.ended = true;
        j.running = false;
        flush(j);
        errorMessage(j.id, e, j);
        post({ type: 'state', id: j.id, running: false, epoch: j.trainer.epoch });
      }
    } finally {
      j.busy = false;
      release();
    }
  };

  /** Stops the current job; with `report`, says `done` (aborted) first. Disposes its trainer. */
  const stop = async (report: boolean): Promise<void> => {
    const j = job;
    if (!j) return;
    job = undefined;
    j.running = false;
    j.controller?.abort();
    await j.idle;
    answerSnapshots(j);
    if (report && !j.ended) {
      flush(j);
      finish(j, 'aborted');
    }
    j.trainer.dispose();
  };

  const start = async (id: number, description: J, o: StartOptions): Promise<void> => {
    latest = id;
    await stop(false);
    const progressEvery = positiveInt(fn, 'progressEvery', o.progressEvery, 1);
    if (o.yieldEveryMs !== undefined && !(o.yieldEveryMs >= 0)) {
      throw new RangeError(
        `${fn}: yieldEveryMs must be a number ≥ 0, got ${String(o.yieldEveryMs)}`,
      );
    }
    const s = await options.setup(description, context);
    if (latest !== id) {
      s.trainer.dispose();
      return;
    }
    const epochs = positiveInt(fn, 'setup().epochs', s.epochs ?? s.trainer.epochs, 1);
    const j: Job<X> = {
      id,
      trainer: s.trainer,
      epochs,
      extra: s.extra,
      progressEvery,
      yieldEveryMs: o.yieldEveryMs,
      running: o.paused !== true,
      steps: 0,
      snapshots: [],
      busy: false,
      ended: false,
      controller: undefined,
      idle: Promise.resolve(),
      trainedMs: 0,
      records: { at: [], loss: [], valLoss: [], updates: [], time: [] },
      gradNorms: undefined,
    };
    job = j;
    post({
      type: 'ready',
      id,
      epoch: j.trainer.epoch,
      epochs,
      ...(s.info !== undefined ? { info: s.info } : {}),
    });
    post({ type: 'state', id, running: j.running, epoch: j.trainer.epoch });
    void drive(j);
  };

  const onCommand = (raw: unknown) => {
    const m = raw as TrainerCommand<J>;
    const j = job;
    switch (m?.type) {
      case 'start': {
        const { id, job: description, type: _t, ...o } = m;
        start(id, description, o).catch((e) => {
          if (latest === id) errorMessage(id, e, undefined);
        });
        break;
      }
      case 'pause':
        if (j?.running) {
          j.running = false;
          j.controller?.abort();
          if (!j.busy) post({ type: 'state', id: j.id, running: false, epoch: j.trainer.epoch });
        }
        break;
      case 'resume':
        if (j && !j.running && !j.ended) {
          j.running = true;
          post({ type: 'state', id: j.id, running: true, epoch: j.trainer.epoch });
          void drive(j);
        }
        break;
      case 'step':
        if (j && !j.running && !j.ended) {
          j.steps += positiveInt(fn, 'step epochs', m.epochs, 1);
          void drive(j);
        }
        break;
      case 'snapshot': {
        if (!j) {
          errorMessage(
            latest,
            new Error(`${fn}: no trainer to snapshot (start a job first)`),
            undefined,
            m.request,
          );
          break;
        }
        if (j.busy) {
          // A trainer cannot be read while it runs: stop the run at its next yield, answer, go on.
          j.snapshots.push(m.request);
          j.controller?.abort();
        } else {
          takeSnapshot(j, m.request);
        }
        break;
      }
      case 'abort':
        void stop(true);
        break;
      default:
        errorMessage(latest, new TypeError(`${fn}: unknown command ${JSON.stringify(m)}`), j);
    }
  };

  const unlisten = listen(fn, endpoint, onCommand);
  return {
    close() {
      unlisten();
      void stop(false);
    },
  };
}
