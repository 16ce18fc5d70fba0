/**
 * Data-parallel loss and gradient of a dense network over all cores: `worker_threads` under Node,
 * module Web Workers in browsers. Parameters, batch, per-chunk gradients and the control words live
 * in `SharedArrayBuffer` memory; a step is one `Atomics` bump and notify, no message.
 *
 * Determinism: the batch is cut into chunks of a fixed number of rows ({@link PARALLEL_CHUNK_ROWS}),
 * thread t takes chunks t, t + T, …, each chunk's loss and gradient go to a slot of their own, and
 * thread 0 sums the slots in chunk order. The chunking depends on the batch size only, so 1, 2 or
 * 4 threads give the same bits.
 */
import { type LossName, type MlpDtype, type MlpSpec, mlpLayout } from '@annlab/core';
import { invalidArgument } from '@annlab/core/internal';
import { TrainError } from '../errors.js';
import { Ctl, chunkCount, createShard, type ShardInit } from './shard.js';

/**
 * Rows per chunk of a parallel step. A batch of B samples is ⌈B / 512⌉ chunks: threads beyond that
 * have nothing to do, so a batch pays for threads from about 2 × 512 samples on.
 */
export const PARALLEL_CHUNK_ROWS = 512;

/**
 * Smallest batch × (multiply-adds per sample) for which threads pay: below it, one thread (no
 * workers). Measured on the bench machine: W5 (2→256→256→256→1, 4096 rows, 1.3·10⁵ multiply-adds
 * per sample: 5.4·10⁸ per step) gains 1.8× on 2 threads; W4 (256 rows, 4.2·10³ per sample:
 * 1.1·10⁶) loses to the per-step synchronisation. Threads start at 2 chunks and 5·10⁷.
 */
export const PARALLEL_MIN_WORK = 5e7;

/** Node: the calling thread may block in `Atomics.wait` (browsers forbid it on the main thread). */
const IS_NODE = typeof process !== 'undefined' && process.versions?.node !== undefined;

/** `Atomics.waitAsync` (ES2024; Chromium ≥ 87). */
type WaitAsync = (
  a: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

/**
 * Waits until `a[index]` is no longer `seen`, or a little while. Under Node: a blocking
 * `Atomics.wait` of at most 20 ms, then (if nothing changed) one turn of the event loop, so that a
 * worker's exit is seen; workers that finish within the slice cost no turn. In browsers:
 * `Atomics.waitAsync` with the same slice.
 */
async function waitChange(a: Int32Array, index: number, seen: number): Promise<void> {
  if (IS_NODE) {
    if (Atomics.wait(a, index, seen, 20) === 'timed-out') {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    return;
  }
  const w = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync(a, index, seen, 20);
  if (w.async) await w.value;
}

/** Losses that are means over the batch (chunk values are weighted by their share of the batch). */
const MEAN_LOSSES: ReadonlySet<LossName> = new Set<LossName>(['mse', 'bceWithLogits']);

/** The thread count to use and, when it differs from the request, why. */
export interface ThreadChoice {
  readonly threads: number;
  /** Empty, or a sentence for the progress report (clamped, or threads unavailable here). */
  readonly note: string;
}

/** Cores of this machine (Node: availableParallelism; browsers: hardwareConcurrency). */
export function coreCount(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (IS_NODE) {
    const get = (process as unknown as { getBuiltinModule(id: string): unknown }).getBuiltinModule;
    return (get('node:os') as typeof import('node:os')).availableParallelism();
  }
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/**
 * Validates a `threads` request: an integer ≥ 1, else an `ArgumentError` naming `fn`, `arg` and the
 * value. Above `cores` it is clamped to `cores`, with a note; where shared memory is unavailable
 * (a browser page without cross-origin isolation) it is 1, with a note saying why.
 *
 * @example
 * ```ts
 * resolveThreads('fit', 'options.threads', 8, 2); // { threads: 2, note: 'threads: 8 clamped to the 2 cores of this machine' }
 * ```
 */
export function resolveThreads(
  fn: string,
  arg: string,
  threads: unknown,
  cores: number,
): ThreadChoice {
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw invalidArgument(fn, arg, threads, 'an integer ≥ 1');
  }
  if (!sharedMemoryAvailable()) {
    return {
      threads: 1,
      note: `threads: ${threads} unavailable: SharedArrayBuffer needs cross-origin isolation (COOP/COEP headers); one thread runs`,
    };
  }
  if (threads > cores) {
    return {
      threads: cores,
      note: `threads: ${threads} clamped to the ${cores} cores of this machine`,
    };
  }
  return { threads, note: '' };
}

/** Whether `SharedArrayBuffer` and `Atomics.waitAsync` can be used here. */
export function sharedMemoryAvailable(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown };
  if (typeof g.SharedArrayBuffer !== 'function') return false;
  if (g.crossOriginIsolated === false) return false;
  return IS_NODE || typeof (Atomics as { waitAsync?: unknown }).waitAsync === 'function';
}

/**
 * Whether a step of `batch` rows of `spec` is large enough for threads to pay (see
 * {@link PARALLEL_MIN_WORK}).
 */
export function parallelPays(spec: MlpSpec, batch: number): boolean {
  const layout = mlpLayout(spec);
  const macs = layout.layers.reduce((s, l) => s + l.inSize * l.outSize, 0);
  return chunkCount(batch, PARALLEL_CHUNK_ROWS) >= 2 && batch * macs >= PARALLEL_MIN_WORK;
}

/** Options of {@link createGradientPool}. */
export interface GradientPoolOptions {
  readonly spec: MlpSpec;
  readonly dtype: MlpDtype;
  readonly loss: LossName;
  /** The largest batch a step will hold. */
  readonly maxBatch: number;
  /** Threads including the calling one (validated by {@link resolveThreads} first). */
  readonly threads: number;
}

/** A pool of workers computing losses and gradients of one network together. */
export interface GradientPool {
  readonly threads: number;
  /** The step's parameters: write them before {@link GradientPool.step} (float64 masters). */
  readonly params: Float64Array;
  /** The step's inputs (maxBatch × inputs, row-major): write the first batch rows. */
  readonly x: Float64Array;
  /** The step's targets (maxBatch × outputs). */
  readonly y: Float64Array;
  /**
   * Loss and gradient of the first `batch` rows of x, y at `params`: the loss is returned, the
   * gradient written into `gradOut`. Rejects with a `TrainError` naming the worker when one died
   * or threw; `params` is left as it was.
   */
  step(batch: number, gradOut: Float64Array): Promise<number>;
  /**
   * {@link GradientPool.step} without a promise (Node only: the calling thread blocks in
   * `Atomics.wait`). A worker terminated before the step is named in the `TrainError`; one that
   * stops answering during the step fails it after {@link PARALLEL_STALL_MS}.
   */
  stepSync(batch: number, gradOut: Float64Array): number;
  /** Stops and ends the workers (idempotent). */
  close(): Promise<void>;
}

/**
 * A synchronous step that waits this long for a worker without any progress fails with a
 * `TrainError` naming it (its exit cannot be seen while the thread blocks).
 */
export const PARALLEL_STALL_MS = 60_000;

interface WorkerHandle {
  /** Ends the worker. */
  terminate(): Promise<unknown>;
}

/** Internal (tests): the workers of a pool, so one can be terminated. */
export const poolWorkers = new WeakMap<GradientPool, WorkerHandle[]>();

/** A pool whose workers were started but may not be ready yet. */
interface Started {
  readonly pool: GradientPool;
  readonly ctl: Int32Array;
  /** Index of the first worker seen to exit, or −1. */
  died(): number;
  deadError(): TrainError;
}

/**
 * Starts `threads − 1` workers (the calling thread is thread 0) over fresh shared memory and
 * resolves once every worker is ready.
 *
 * @example
 * ```ts
 * const pool = await createGradientPool({ spec, dtype: 'float32', loss: 'mse', maxBatch: 4096, threads: 2 });
 * pool.params.set(params); pool.x.set(x); pool.y.set(y);
 * const loss = await pool.step(4096, grad);
 * await pool.close();
 * ```
 */
export async function createGradientPool(o: GradientPoolOptions): Promise<GradientPool> {
  const s = start(o);
  while (Atomics.load(s.ctl, Ctl.Ready) < o.threads - 1 && s.died() < 0) {
    await waitChange(s.ctl, Ctl.Ready, Atomics.load(s.ctl, Ctl.Ready));
  }
  if (s.died() >= 0) {
    await s.pool.close();
    throw s.deadError();
  }
  return s.pool;
}

/**
 * {@link createGradientPool} without a promise, for synchronous training (Node only: blocks until
 * every worker is ready, at most {@link PARALLEL_STALL_MS}).
 */
export function createGradientPoolSync(o: GradientPoolOptions): GradientPool {
  if (!IS_NODE) {
    throw new TrainError(
      'fit: synchronous threads need Node (in browsers use the asynchronous pool)',
    );
  }
  const s = start(o);
  const t0 = performance.now();
  while (Atomics.load(s.ctl, Ctl.Ready) < o.threads - 1) {
    if (performance.now() - t0 > PARALLEL_STALL_MS) {
      void s.pool.close();
      throw new TrainError(
        `fit: ${o.threads - 1 - Atomics.load(s.ctl, Ctl.Ready)} of ${o.threads - 1} workers did not start within ${PARALLEL_STALL_MS} ms`,
      );
    }
    Atomics.wait(s.ctl, Ctl.Ready, Atomics.load(s.ctl, Ctl.Ready), 50);
  }
  return s.pool;
}

function start(o: GradientPoolOptions): Started {
  const layout = mlpLayout(o.spec);
  const P = layout.size;
  const inputs = o.spec.sizes[0]!;
  const outputs = o.spec.sizes[o.spec.sizes.length - 1]!;
  const maxChunks = chunkCount(o.maxBatch, PARALLEL_CHUNK_ROWS);
  const chunkRows = Math.min(PARALLEL_CHUNK_ROWS, o.maxBatch);
  const T = o.threads;
  const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
  const base = {
    spec: o.spec,
    dtype: o.dtype,
    loss: o.loss,
    chunkRows,
    maxBatch: o.maxBatch,
    inputs,
    outputs,
    paramCount: P,
    threads: T,
    ctl: sab(4 * Ctl.Length),
    params: sab(8 * P),
    x: sab(8 * o.maxBatch * inputs),
    y: sab(8 * o.maxBatch * outputs),
    grads: sab(8 * maxChunks * P),
    losses: sab(8 * maxChunks),
  };
  const main = createShard({ ...base, thread: 0 });
  const { ctl, grads, losses } = main;
  const workers: WorkerHandle[] = [];
  let died = -1;
  let failure = '';
  const onError = (message: string) => {
    if (failure === '') failure = message;
  };
  for (let t = 1; t < T; t++) {
    const init: ShardInit = { ...base, thread: t };
    workers.push(
      startWorker(
        init,
        () => {
          if (died < 0) died = t;
        },
        onError,
      ),
    );
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    Atomics.store(ctl, Ctl.Stop, 1);
    Atomics.add(ctl, Ctl.Gen, 1);
    Atomics.notify(ctl, Ctl.Gen);
    await Promise.all(workers.map((w) => w.terminate()));
  };
  const deadError = () =>
    new TrainError(
      `fit: worker ${died} of ${T} threads stopped (${failure || 'terminated'}); the parameters of the last completed step are kept`,
    );
  const begin = (batch: number) => {
    if (closed) throw new TrainError('fit: the worker pool is closed');
    if (!Number.isInteger(batch) || batch < 1 || batch > o.maxBatch) {
      throw invalidArgument(
        'GradientPool.step',
        'batch',
        batch,
        `an integer in [1, ${o.maxBatch}]`,
      );
    }
    if (died >= 0) throw deadError();
    Atomics.store(ctl, Ctl.Done, 0);
    Atomics.store(ctl, Ctl.Failed, 0);
    Atomics.store(ctl, Ctl.Batch, batch);
    Atomics.add(ctl, Ctl.Gen, 1);
    Atomics.notify(ctl, Ctl.Gen);
    main.run();
  };
  const failedError = () => {
    const failed = Atomics.load(ctl, Ctl.Failed);
    return new TrainError(
      `fit: worker ${failed - 1} of ${T} threads failed: ${failure || "see the worker's error"}`,
    );
  };
  const reduce = (batch: number, gradOut: Float64Array): number => {
    const C = chunkCount(batch, chunkRows);
    const mean = MEAN_LOSSES.has(o.loss);
    let loss = 0;
    for (let c = 0; c < C; c++) {
      const m = Math.min(chunkRows, batch - c * chunkRows);
      const w = mean && C > 1 ? m / batch : 1;
      const off = c * P;
      if (c === 0) for (let k = 0; k < P; k++) gradOut[k] = w * grads[off + k]!;
      else for (let k = 0; k < P; k++) gradOut[k] += w * grads[off + k]!;
      loss += w * losses[c]!;
    }
    return loss;
  };
  const pool: GradientPool = {
    threads: T,
    params: main.params,
    x: new Float64Array(base.x),
    y: new Float64Array(base.y),
    async step(batch, gradOut) {
      begin(batch);
      for (;;) {
        const done = Atomics.load(ctl, Ctl.Done);
        if (done >= T - 1) break;
        if (died >= 0) throw deadError();
        await waitChange(ctl, Ctl.Done, done);
      }
      if (Atomics.load(ctl, Ctl.Failed) !== 0) {
        await new Promise((r) => setTimeout(r, 0)); // the worker's message, if on its way
        throw failedError();
      }
      return reduce(batch, gradOut);
    },
    stepSync(batch, gradOut) {
      begin(batch);
      let last = performance.now();
      let seen = Atomics.load(ctl, Ctl.Done);
      while (seen < T - 1) {
        Atomics.wait(ctl, Ctl.Done, seen, 50);
        const done = Atomics.load(ctl, Ctl.Done);
        if (done !== seen) {
          seen = done;
          last = performance.now();
        } else if (performance.now() - last > PARALLEL_STALL_MS) {
          throw new TrainError(
            `fit: ${T - 1 - done} of ${T - 1} workers did not answer within ${PARALLEL_STALL_MS} ms`,
          );
        }
      }
      if (Atomics.load(ctl, Ctl.Failed) !== 0) throw failedError();
      return reduce(batch, gradOut);
    },
    close,
  };
  poolWorkers.set(pool, workers);
  return { pool, ctl, died: () => died, deadError };
}

function startWorker(
  init: ShardInit,
  onExit: () => void,
  onError: (message: string) => void,
): WorkerHandle {
  const source = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  if (IS_NODE) {
    const get = (process as unknown as { getBuiltinModule(id: string): unknown }).getBuiltinModule;
    const { Worker } = get('node:worker_threads') as typeof import('node:worker_threads');
    const entry = new URL(`./workerNode${source}`, import.meta.url);
    let w: InstanceType<typeof Worker>;
    if (source === '.js') {
      w = new Worker(entry, { workerData: init });
    } else {
      // Running from the TypeScript sources (tests, bench): the worker registers tsx's loader
      // (a dev dependency) before importing its entry; a built package never takes this branch.
      const { createRequire } = get('node:module') as typeof import('node:module');
      const { pathToFileURL } = get('node:url') as typeof import('node:url');
      const api = createRequire(import.meta.url).resolve('tsx/esm/api');
      const loader = pathToFileURL(api.replace(/\.cjs$/, '.mjs')).href;
      w = new Worker(
        `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`,
        { eval: true, workerData: init, execArgv: ['--conditions=@annlab/source'] },
      );
    }
    w.on('message', (m: { error?: string }) => {
      if (m.error !== undefined) onError(m.error);
    });
    w.on('error', (e) => onError(e.message));
    w.on('exit', onExit);
    w.unref();
    return { terminate: () => w.terminate() };
  }
  const WebWorker = (
    globalThis as unknown as {
      Worker: new (
        url: URL,
        o: { type: 'module' },
      ) => {
        postMessage(m: unknown): void;
        terminate(): void;
        onerror: ((e: { message?: string }) => void) | null;
        onmessage: ((e: { data: { error?: string } }) => void) | null;
      };
    }
  ).Worker;
  const w = new WebWorker(new URL('./workerWeb.js', import.meta.url), { type: 'module' });
  w.onmessage = (e) => {
    if (e.data.error !== undefined) onError(e.data.error);
  };
  w.onerror = (e) => {
    onError(e.message ?? 'worker error');
    onExit();
  };
  w.postMessage(init);
  return {
    terminate: () => {
      w.terminate();
      onExit();
      return Promise.resolve();
    },
  };
}
