/**
 * Timing harness: one warm-up run, then the median of n timed runs of the training loop only.
 *
 * A {@link Trainer} separates what is timed from what is not: `reset()` (restore the initial
 * parameters and optimizer state) and `params()` (read the parameters back) are outside the clock;
 * `train(epochs)` is timed and must not return before the device has finished its work (GPU trainers
 * read back or await `onSubmittedWorkDone` before resolving).
 */

/** A library's training loop for one workload, built once and run several times. */
export interface Trainer {
  /** Restores the initial parameters and optimizer state (not timed). */
  reset(): void | Promise<void>;
  /** Trains `epochs` epochs from the current state; resolves when the device is idle (timed). */
  train(epochs: number): void | Promise<void>;
  /** The current parameters as float64 arrays in the workload's layout (not timed). */
  params(): Float64Array[] | Promise<Float64Array[]>;
  /** Frees device memory. */
  dispose?(): void | Promise<void>;
}

/** Timings of one trainer. */
export interface Timing {
  /** Every timed run, ms. */
  times: number[];
  /** Median of `times`, ms. */
  median: number;
  /** Epochs per timed run (fewer than asked when a time budget cut them). */
  epochs: number;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Epochs per timed run. */
  epochs: number;
  /** Timed runs (≥ 1). */
  runs: number;
  /** Epochs of the warm-up run (default: `epochs`). */
  warmupEpochs?: number;
  /**
   * Time budget of one timed run, ms: the warm-up's time per epoch (an overestimate: it includes
   * compilation) decides how many epochs fit, at least 1; when one epoch alone exceeds the budget
   * only one timed run is made.
   */
  budgetMs?: number;
}

/**
 * Times a trainer.
 *
 * Steps: reset, warm-up run (untimed); then `runs` times: reset, start the clock, `train(epochs)`
 * (which synchronises the device), stop the clock. The parameters after the last run are left in
 * the trainer for the caller to read.
 */
export async function measure(trainer: Trainer, options: MeasureOptions): Promise<Timing> {
  const warmupEpochs = options.warmupEpochs ?? options.epochs;
  await trainer.reset();
  const w0 = performance.now();
  await trainer.train(warmupEpochs);
  const perEpoch = (performance.now() - w0) / warmupEpochs;
  let epochs = options.epochs;
  let runs = options.runs;
  if (options.budgetMs !== undefined) {
    epochs = Math.max(1, Math.min(epochs, Math.floor(options.budgetMs / perEpoch)));
    if (perEpoch > options.budgetMs) runs = 1;
  }
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    await trainer.reset();
    const t0 = performance.now();
    await trainer.train(epochs);
    times.push(performance.now() - t0);
  }
  return { times, median: median(times), epochs };
}

/** Times a synchronous or asynchronous function: warm-up, then median of `runs` calls, ms. */
export async function timeCall(fn: () => unknown, runs: number, warmups = 1): Promise<Timing> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { times, median: median(times), epochs: 1 };
}
