/**
 * The machine's measured limit for float32 SIMD arithmetic in WebAssembly: a loop of pure f32x4
 * multiply-adds (12 independent accumulators, no memory traffic) on one core and on every core at
 * once (worker_threads started together behind an `Atomics` barrier). Plain SIMD counts a multiply
 * and an add as 2 flops per lane; relaxed SIMD's fused multiply-add (where this Node validates it)
 * as 2 flops per lane in one instruction. Every GFLOP/s figure of the CPU rows reads against it.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Measured peak GFLOP/s. */
export interface PeakResult {
  /** 'simd' (f32x4.mul + f32x4.add) or 'relaxed-simd' (f32x4.relaxed_madd). */
  kernel: string;
  oneCore: number;
  allCores: number;
  cores: number;
}

const ACCS = 12;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/**
 * `run(n: i32) -> f32`: n iterations over 12 f32x4 accumulators (m, a splatted constants): with
 * relaxed SIMD acc_i = acc_i·m + a fused; without, acc_i = acc_i·m for odd i and acc_i + a for even
 * i (as many multiplies as adds). Returns lane 0 of their sum (so nothing is dead code).
 */
export function peakModule(relaxed: boolean): Uint8Array<ArrayBuffer> {
  const simd = (op: number) => [0xfd, ...uleb(op)];
  const f32 = (v: number) => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)];
  const M = ACCS + 1; // v128 locals: acc 1..12 (local 0 is the i32 parameter), then m, a
  const A = ACCS + 2;
  const code: number[] = [];
  code.push(...f32(0.9999999), ...simd(0x13), 0x21, ...uleb(M)); // f32x4.splat
  code.push(...f32(1e-7), ...simd(0x13), 0x21, ...uleb(A));
  for (let i = 1; i <= ACCS; i++) code.push(...f32(i), ...simd(0x13), 0x21, ...uleb(i));
  code.push(0x03, 0x40); // loop
  for (let i = 1; i <= ACCS; i++) {
    if (relaxed) {
      code.push(0x20, ...uleb(i), 0x20, ...uleb(M), 0x20, ...uleb(A), ...simd(0x105));
    } else if (i % 2 === 1) {
      // plain SIMD: six multiply chains and six add chains side by side, so neither the
      // multiplier's nor the adder's latency limits the rate (a dependent mul-then-add would)
      code.push(0x20, ...uleb(i), 0x20, ...uleb(M), ...simd(0xe6));
    } else {
      code.push(0x20, ...uleb(i), 0x20, ...uleb(A), ...simd(0xe4));
    }
    code.push(0x21, ...uleb(i));
  }
  // n = n − 1; br_if n ≠ 0
  code.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b);
  code.push(0x20, 1);
  for (let i = 2; i <= ACCS; i++) code.push(0x20, ...uleb(i), ...simd(0xe4));
  code.push(...simd(0x1f), 0, 0x0b); // f32x4.extract_lane 0; end
  const body = [1, ...uleb(ACCS + 2), 0x7b, ...code];
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    1,
    6,
    1,
    0x60,
    1,
    0x7f,
    1,
    0x7d, // type: (i32) -> f32
    3,
    2,
    1,
    0, // function 0 of type 0
    7,
    7,
    1,
    3,
    0x72,
    0x75,
    0x6e,
    0x00,
    0x00, // export "run"
    10,
    ...uleb(body.length + 1 + uleb(body.length).length),
    1,
    ...uleb(body.length),
    ...body,
  ];
  return new Uint8Array(bytes);
}

/**
 * Flops of `run(n)`: per iteration 12 accumulators × 4 lanes, each one multiply-add (2 flops) with
 * relaxed SIMD, one multiply or one add (1 flop) without.
 */
const flopsOf =
  (relaxed: boolean) =>
  (n: number): number =>
    n * ACCS * 4 * (relaxed ? 2 : 1);
let flops = flopsOf(false);

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { bytes, n, ctl } = workerData;
const run = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.run;
run(1000);
const c = new Int32Array(ctl);
Atomics.add(c, 0, 1); Atomics.notify(c, 0);
Atomics.wait(c, 1, 0);
run(n);
Atomics.add(c, 2, 1); Atomics.notify(c, 2);
parentPort.postMessage('done');
`;

/** GFLOP/s of `threads` copies of `run(n)` started together (wall time from release to the last). */
async function allCores(bytes: Uint8Array, n: number, threads: number): Promise<number> {
  const ctl = new SharedArrayBuffer(16);
  const c = new Int32Array(ctl);
  const workers = Array.from(
    { length: threads },
    () => new Worker(WORKER, { eval: true, workerData: { bytes, n, ctl } }),
  );
  const finished = workers.map((w) => new Promise((r) => w.once('message', r)));
  while (Atomics.load(c, 0) < threads) await new Promise((r) => setTimeout(r, 5));
  const t0 = performance.now();
  Atomics.store(c, 1, 1);
  Atomics.notify(c, 1);
  while (Atomics.load(c, 2) < threads) Atomics.wait(c, 2, Atomics.load(c, 2), 50);
  const s = (performance.now() - t0) / 1000;
  await Promise.all(finished);
  await Promise.all(workers.map((w) => w.terminate()));
  return (flops(n) * threads) / s / 1e9;
}

/** Measures the peak: best of 3 on one core, best of 3 on every core. */
export async function runPeak(opts: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<PeakResult> {
  const relaxed = WebAssembly.validate(peakModule(true));
  const bytes = peakModule(relaxed);
  flops = flopsOf(relaxed);
  const run = (
    new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as {
      run: (n: number) => number;
    }
  ).run;
  const n = opts.quick ? 2e6 : 1e7;
  run(1000);
  let one = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    run(n);
    one = Math.max(one, flops(n) / ((performance.now() - t0) / 1000) / 1e9);
  }
  const cores = availableParallelism();
  let all = 0;
  for (let r = 0; r < 3; r++) all = Math.max(all, await allCores(bytes, n, cores));
  const kernel = relaxed ? 'relaxed-simd' : 'simd';
  opts.log(
    `  peak f32x4 (${kernel}): ${one.toFixed(1)} GFLOP/s on one core, ${all.toFixed(1)} on ${cores} cores`,
  );
  return { kernel, oneCore: one, allCores: all, cores };
}
