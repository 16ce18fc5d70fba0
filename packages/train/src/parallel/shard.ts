/**
 * The work of one thread of a {@link GradientPool}: the loss and gradient of its chunks of the
 * batch, read from and written to shared memory. The same code runs on the calling thread (thread 0)
 * and in every worker, so a chunk's gradient has the same bits whichever thread computes it.
 *
 * Shared memory (all `SharedArrayBuffer`):
 * - `ctl` (Int32Array): see {@link Ctl}.
 * - `params` (Float64Array, P): the parameters of the step (float64 masters).
 * - `x`, `y` (Float64Array, maxBatch × inputs / outputs): the batch, row-major.
 * - `grads` (Float64Array, maxChunks × P): chunk c's gradient at c·P.
 * - `losses` (Float64Array, maxChunks): chunk c's loss.
 */
import {
  createMlpWorkspace,
  type FloatArray,
  type LossName,
  type MlpDtype,
  type MlpSpec,
  mlpValueAndGradient,
} from '@annlab/core';

/** Indices into the control array. */
export const Ctl = {
  /** Step counter: bumped (then notified) by thread 0 to start a step. */
  Gen: 0,
  /** Workers that finished the current step (notified on each). */
  Done: 1,
  /** Samples in the current step's batch. */
  Batch: 2,
  /** 0, or 1 + the index of the first thread whose chunk threw in this step. */
  Failed: 3,
  /** 1: workers leave their loop. */
  Stop: 4,
  /** Workers that are ready (notified on each). */
  Ready: 5,
  /** Length of the control array. */
  Length: 8,
} as const;

/** What a worker receives once, at its start (structured-clonable). */
export interface ShardInit {
  readonly spec: MlpSpec;
  readonly dtype: MlpDtype;
  readonly loss: LossName;
  /** Samples per chunk (every chunk but the last of a batch is full). */
  readonly chunkRows: number;
  readonly maxBatch: number;
  readonly inputs: number;
  readonly outputs: number;
  readonly paramCount: number;
  /** This thread's index t (chunks t, t + T, …) and the thread count T. */
  readonly thread: number;
  readonly threads: number;
  readonly ctl: SharedArrayBuffer;
  readonly params: SharedArrayBuffer;
  readonly x: SharedArrayBuffer;
  readonly y: SharedArrayBuffer;
  readonly grads: SharedArrayBuffer;
  readonly losses: SharedArrayBuffer;
}

/** Chunks of a batch of `batch` samples: ⌈batch / chunkRows⌉ (depends on nothing else). */
export function chunkCount(batch: number, chunkRows: number): number {
  return Math.ceil(batch / chunkRows);
}

/** One thread's buffers: a workspace for one chunk and views made once. */
export interface Shard {
  readonly init: ShardInit;
  readonly ctl: Int32Array;
  readonly params: Float64Array;
  readonly grads: Float64Array;
  readonly losses: Float64Array;
  /** Runs this thread's chunks of the current step (batch size from `ctl`). */
  run(): void;
}

/** Builds a thread's shard over the shared buffers of `init`. */
export function createShard(init: ShardInit): Shard {
  const { spec, dtype, loss, chunkRows, inputs, outputs, paramCount: P, thread, threads } = init;
  const ctl = new Int32Array(init.ctl);
  const params = new Float64Array(init.params);
  const x = new Float64Array(init.x);
  const y = new Float64Array(init.y);
  const grads = new Float64Array(init.grads);
  const losses = new Float64Array(init.losses);
  const f32 = dtype === 'float32';
  const ws = createMlpWorkspace(spec, chunkRows, dtype);
  // float64: params, chunks of x and y and the gradient are used in place (views, made once per
  // chunk index and row count); float32: copied into float32 buffers of the chunk's size
  const pc: FloatArray = f32 ? new Float32Array(P) : params;
  const views = new Map<string, { x: FloatArray; y: FloatArray; g: Float64Array }>();
  const gc32 = f32 ? new Float32Array(P) : null;
  const chunk = (c: number, m: number) => {
    const id = `${c}:${m}`;
    let v = views.get(id);
    if (v === undefined) {
      const s = c * chunkRows;
      const g = grads.subarray(c * P, (c + 1) * P);
      v = f32
        ? { x: new Float32Array(m * inputs), y: new Float32Array(m * outputs), g }
        : {
            x: x.subarray(s * inputs, (s + m) * inputs),
            y: y.subarray(s * outputs, (s + m) * outputs),
            g,
          };
      views.set(id, v);
    }
    return v;
  };
  return {
    init,
    ctl,
    params,
    grads,
    losses,
    run() {
      const batch = Atomics.load(ctl, Ctl.Batch);
      const C = chunkCount(batch, chunkRows);
      if (thread >= C) return;
      if (f32) (pc as Float32Array).set(params);
      for (let c = thread; c < C; c += threads) {
        const s = c * chunkRows;
        const m = Math.min(chunkRows, batch - s);
        const v = chunk(c, m);
        if (f32) {
          (v.x as Float32Array).set(x.subarray(s * inputs, (s + m) * inputs));
          (v.y as Float32Array).set(y.subarray(s * outputs, (s + m) * outputs));
          losses[c] = mlpValueAndGradient(spec, pc, v.x, v.y, m, loss, ws, gc32!);
          v.g.set(gc32!);
        } else {
          losses[c] = mlpValueAndGradient(spec, pc, v.x, v.y, m, loss, ws, v.g);
        }
      }
    },
  };
}

/**
 * A worker's loop: wait for the next step, run the shard, count itself done; leave on Stop. A
 * throwing chunk marks the step failed (the first thread's index) and the loop goes on.
 */
export function workerLoop(init: ShardInit, report: (message: string) => void): void {
  const shard = createShard(init);
  const { ctl } = shard;
  // the step counter is read before saying ready: thread 0 starts no step before every worker is
  // ready, so no step is missed
  let gen = Atomics.load(ctl, Ctl.Gen);
  Atomics.add(ctl, Ctl.Ready, 1);
  Atomics.notify(ctl, Ctl.Ready);
  for (;;) {
    Atomics.wait(ctl, Ctl.Gen, gen);
    gen = Atomics.load(ctl, Ctl.Gen);
    if (Atomics.load(ctl, Ctl.Stop) !== 0) return;
    try {
      shard.run();
    } catch (e) {
      Atomics.compareExchange(ctl, Ctl.Failed, 0, init.thread + 1);
      report(e instanceof Error ? e.message : String(e));
    }
    Atomics.add(ctl, Ctl.Done, 1);
    Atomics.notify(ctl, Ctl.Done);
  }
}
