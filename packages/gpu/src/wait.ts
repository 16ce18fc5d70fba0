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
 * Waits until the GPU has finished the work submitted at `startedAt` (a `performance.now()`
 * reading): `units` units (rounds, steps, epochs) of the recurring work named `key`. When the device
 * sleeps while waiting and `key` has been measured at least twice (a first run can be slow for
 * reasons of its own), it first sleeps through a fraction of the expected time (when that is
 * {@link MIN_SLEEP_WORK_MS} or more); then it awaits `queue.onSubmittedWorkDone()`, rejecting on
 * device loss. Call right after `queue.submit`.
 *
 * The estimate of `key` then follows the measurement. If it slept and the poll found the work done,
 * the work may have finished during the sleep: the estimate shrinks to 80 % and the fraction drops,
 * so the next sleep ends earlier. Otherwise the time per unit was measured: the estimate drops to it
 * at once when faster and rises halfway towards it when slower (so one slow run does not cause long
 * sleeps), and after a sleep the next one may take a larger fraction.
 */
export async function waitForWork(
  gpu: Gpu,
  key: string,
  units: number,
  startedAt: number,
  label: string,
): Promise<void> {
  const e = estimates.get(gpu)?.get(key);
  let slept = false;
  if (gpu.sleepWhileWaiting && e !== undefined && e.samples >= 2) {
    const expected = e.perUnit * units;
    const ms = e.fraction * expected - TIMER_SLACK_MS - (performance.now() - startedAt);
    if (expected >= MIN_SLEEP_WORK_MS && ms > 0) {
      await sleep(ms);
      slept = true;
    }
  }
  const polling = performance.now();
  await gpu.guard(gpu.device.queue.onSubmittedWorkDone(), label);
  const done = performance.now();
  if (!(units > 0)) return;
  const measured = (done - startedAt) / units;
  if (e === undefined) {
    table(gpu).set(key, { perUnit: measured, samples: 1, fraction: FIRST_FRACTION });
    return;
  }
  e.samples++;
  if (slept && done - polling <= OVERSLEPT_MS) {
    e.perUnit *= 0.8;
    e.fraction = Math.max(MIN_FRACTION, e.fraction - FRACTION_STEP);
  } else {
    e.perUnit = Math.min(measured, 0.5 * (e.perUnit + measured));
    if (slept) e.fraction = Math.min(SLEEP_FRACTION, e.fraction + FRACTION_STEP);
  }
}
