/**
 * Waiting for the GPU without taking a CPU core from it.
 *
 * In Node, the `webgpu` package (Dawn) resolves GPU promises by re-arming `setImmediate` to poll
 * the device for as long as any promise (`onSubmittedWorkDone`, `mapAsync`, `popErrorScope`) is
 * pending, so a thread awaiting the GPU runs one CPU core at 100 %. On a real GPU that only wastes
 * the core; on an adapter that emulates the GPU on the CPU (SwiftShader) it takes that core from
 * the emulated GPU, and a 2-core machine runs the kernels up to twice as slowly.
 *
 * With `sleepWhileWaiting`, annlab learns how long each recurring piece of work takes (per key, per
 * unit such as a training step) and sleeps on a timer for most of that time before asking Dawn for
 * completion, so the poll runs only for the last few percent. Work seen fewer than two times, and
 * work expected to take under {@link MIN_SLEEP_WORK_MS}, is awaited as usual; estimates follow the
 * measured times.
 */
import type { Gpu } from './device.js';

/**
 * Largest fraction of the expected time slept before polling for completion. The first sleep of a
 * piece of work takes half (its timings so far were taken while polling, which on a CPU adapter
 * slows the work itself); each wait that still had to poll raises the fraction by 0.2 up to this,
 * each wait that found the work done lowers it by 0.2 (down to 0.3).
 */
export const SLEEP_FRACTION = 0.9;
const FIRST_FRACTION = 0.5;
const FRACTION_STEP = 0.2;
const MIN_FRACTION = 0.3;
/**
 * Work expected to take less than this is polled for: timers fire a millisecond or two late, which
 * costs more than the poll takes from the GPU on short work (measured: 256³ matmul on SwiftShader).
 */
export const MIN_SLEEP_WORK_MS = 25;
/** Timer slack taken off each sleep, so the timer fires before the work is done. */
const TIMER_SLACK_MS = 2;
/** A poll shorter than this after waking means the work may have finished while asleep. */
const OVERSLEPT_MS = 1;

/** What is known of one recurring piece of work. */
interface Estimate {
  /** Expected milliseconds per unit. */
  perUnit: number;
  /** Completed waits measured so far. */
  samples: number;
  /** Fraction of `perUnit` to sleep next time. */
  fraction: number;
}

const estimates = new WeakMap<Gpu, Map<string, Estimate>>();

function table(gpu: Gpu): Map<string, Estimate> {
  let t = estimates.get(gpu);
  if (!t) {
    t = new Map();
    estimates.set(gpu, t);
  }
  return t;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Milliseconds per unit that `key` is expected to take on this device (undefined until measured).
 * Exposed for tests and diagnostics.
 */
export function expectedMs(gpu: Gpu, key: string): number | undefined {
  return estimates.get(gpu)?.get(key)?.perUnit;
}

/**
 * Sleeps for most of the time the work submitted at `startedAt` (a `performance.now()` reading) is
 * expected to take: `units` units of the work named `key`. Does nothing unless the device sleeps
 * while waiting and `key` has been measured at least twice (a first run can be slow for reasons of
 * its own). Call right after `queue.submit`, before any other await on the device; then
 * {@link settle}.
 */
export async function sleepBeforePolling(
  gpu: Gpu,
  key: string,
  units: number,
  startedAt: number,
): Promise<void> {
  if (!gpu.sleepWhileWaiting) return;
  const e = estimates.get(gpu)?.get(key);
  if (e === undefined || e.samples < 2) return;
  const expected = e.perUnit * units;
  if (expected < MIN_SLEEP_WORK_MS) return;
  const ms = e.fraction * expected - TIMER_SLACK_MS - (performance.now() - startedAt);
  if (ms > 0) await sleep(ms);
}

/**
 * Awaits `queue.onSubmittedWorkDone()` (rejecting on device loss) and updates the estimate of
 * `key`. When the poll had to wait for the GPU, the time per unit was measured: the estimate drops
 * to it at once when faster and rises halfway towards it when slower (so one slow run does not
 * cause long sleeps), and the next sleep may take a larger fraction of it. When the poll found the
 * work done, it may have finished during the sleep: the estimate shrinks to 80 % and the fraction
 * drops, so the next sleep ends earlier.
 */
export async function settle(
  gpu: Gpu,
  key: string,
  units: number,
  startedAt: number,
  label: string,
): Promise<void> {
  const polling = performance.now();
  await gpu.guard(gpu.device.queue.onSubmittedWorkDone(), label);
  const done = performance.now();
  if (!(units > 0)) return;
  const t = table(gpu);
  const old = t.get(key);
  const measured = (done - startedAt) / units;
  if (old === undefined) {
    t.set(key, { perUnit: measured, samples: 1, fraction: FIRST_FRACTION });
    return;
  }
  const slept = gpu.sleepWhileWaiting && old.samples >= 2;
  old.samples++;
  if (done - polling > OVERSLEPT_MS) {
    old.perUnit = Math.min(measured, 0.5 * (old.perUnit + measured));
    if (slept) old.fraction = Math.min(SLEEP_FRACTION, old.fraction + FRACTION_STEP);
  } else {
    old.perUnit *= 0.8;
    old.fraction = Math.max(MIN_FRACTION, old.fraction - FRACTION_STEP);
  }
}
