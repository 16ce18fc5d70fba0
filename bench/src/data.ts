/**
 * The workloads' data, initial parameters and shuffle orders, generated once per run so that every
 * library trains from the same arrays (float64 here; float32 peers receive rounded copies).
 *
 * Randomness: @annlab/core's JAX-compatible `key` / `normal` / `permutation` (one `foldIn` of the
 * workload's key per draw); every library receives the same arrays.
 *
 * Parameter layouts:
 * - chain (W1, W2, W6): `[w, b]`, each a Float64Array of length N (layer i: x ← h(w[i]·x + b[i])).
 * - MLP (W3–W5): `[W0, b0, W1, b1, …]`, `W` of shape [fanIn, fanOut] row-major (z = a·W + b), `b` of
 *   length fanOut.
 */

import * as core from '@annlab/core';

/** Where the workloads' random numbers come from. */
export interface Source {
  /** Which generator (reported in BENCHMARKS.md). */
  readonly name: string;
  /** n standard normals. */
  normals(n: number): Float64Array;
  /** n uniforms in [lo, hi). */
  uniforms(n: number, lo: number, hi: number): Float64Array;
  /** A uniformly random permutation of 0..n−1. */
  permutation(n: number): Uint32Array;
}

/** The random source of seed `seed`: core's keys, one `foldIn` of `key(seed)` per draw. */
export function source(seed: number): Source {
  const base = core.key(seed);
  let draws = 0;
  const next = () => core.foldIn(base, draws++);
  return {
    name: 'annlab core key',
    normals: (n) => core.normal(next(), n),
    uniforms: (n, lo, hi) => core.uniform(next(), n, { minval: lo, maxval: hi }),
    permutation: (n) => Uint32Array.from(core.permutation(next(), n)),
  };
}

/** n evenly spaced points from a to b inclusive. */
export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  return out;
}

/** A width-one chain network and its per-sample SGD problem (W1, W2, W6). */
export interface ChainProblem {
  /** Number of layers N. */
  layers: number;
  /** Inputs. */
  x: Float64Array;
  /** Targets. */
  y: Float64Array;
  /** Initial parameters `[w, b]`. */
  init: [Float64Array, Float64Array];
  /** Sample order of each epoch. */
  orders: Uint32Array[];
  /** SGD step. */
  lr: number;
}

function chainProblem(
  seed: number,
  layers: number,
  f: (x: number) => number,
  epochs: number,
): ChainProblem {
  const r = source(seed);
  const x = linspace(0.5, 3, 200);
  const y = x.map(f);
  const w = r.normals(layers);
  const b = r.normals(layers);
  const orders = Array.from({ length: epochs }, () => r.permutation(x.length));
  return { layers, x, y, init: [w, b], orders, lr: 0.01 };
}

/** W1: N = 3, f(x) = −3x + 2, 500 epochs. */
export function w1Problem(seed = 1): ChainProblem {
  return chainProblem(seed, 3, (x) => -3 * x + 2, 500);
}

/** W2: f(x) = log x for one depth N, 300 epochs. */
export function w2Problem(layers: number): ChainProblem {
  return chainProblem(20 + layers, layers, Math.log, 300);
}

/** Activations the MLP workloads use. */
export type Act = 'gelu' | 'tanh' | 'relu' | 'identity';

/** Optimizer of an MLP workload. */
export type OptimizerSpec =
  | { kind: 'sgd'; lr: number }
  | { kind: 'adam'; lr: number; b1: number; b2: number; eps: number };

/** A dense MLP regression problem (W3–W5). */
export interface MlpProblem {
  /** Layer widths, input first. */
  sizes: number[];
  /** Activation after each hidden layer. */
  hidden: Act;
  /** Activation after the last layer. */
  output: Act;
  /** 'sse': Σ(ŷ − y)²; 'mse': mean of (ŷ − y)² over the batch rows and outputs. */
  loss: 'sse' | 'mse';
  optimizer: OptimizerSpec;
  /** Number of data rows. */
  rows: number;
  /** Inputs, rows × sizes[0]. */
  x: Float64Array;
  /** Targets, rows × sizes[last]. */
  y: Float64Array;
  /** Initial parameters `[W0, b0, W1, b1, …]`. */
  init: Float64Array[];
  /** Mini-batching; absent for full-batch training (one step per epoch). */
  batch?: { size: number; orders: Uint32Array[] };
}

/** LeCun-normal weights (std 1/√fanIn) and zero biases. */
function initMlpParams(r: Source, sizes: number[]): Float64Array[] {
  const params: Float64Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    const s = 1 / Math.sqrt(fanIn);
    const w = r.normals(fanIn * fanOut).map((v) => s * v);
    params.push(w, new Float64Array(fanOut));
  }
  return params;
}

/** W3: 1→32×5→3 GELU everywhere, SSE, Adam, full batch. */
export function w3Problem(): MlpProblem {
  const r = source(3);
  const sizes = [1, 32, 32, 32, 32, 32, 3];
  const x = linspace(0.1, 2.1, 100);
  const y = new Float64Array(300);
  for (let i = 0; i < 100; i++) {
    const xi = x[i]!;
    y[3 * i] = xi * Math.exp(xi);
    y[3 * i + 1] = Math.exp(xi);
    y[3 * i + 2] = xi * xi;
  }
  return {
    sizes,
    hidden: 'gelu',
    output: 'gelu',
    loss: 'sse',
    optimizer: { kind: 'adam', lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8 },
    rows: 100,
    x,
    y,
    init: initMlpParams(r, sizes),
  };
}

/** W4: 1→64→64→1 tanh, MSE, SGD 0.05, mini-batches of 256, 20 shuffled epochs. */
export function w4Problem(): MlpProblem {
  const r = source(4);
  const sizes = [1, 64, 64, 1];
  const rows = 10_000;
  const x = linspace(-2, 2, rows);
  const y = x.map((v) => Math.sin(3 * v));
  const init = initMlpParams(r, sizes);
  const orders = Array.from({ length: 20 }, () => r.permutation(rows));
  return {
    sizes,
    hidden: 'tanh',
    output: 'identity',
    loss: 'mse',
    optimizer: { kind: 'sgd', lr: 0.05 },
    rows,
    x,
    y,
    init,
    batch: { size: 256, orders },
  };
}

/** W5: 2→256→256→256→1 ReLU, MSE, 100 full-batch SGD steps at 0.05 on 4096 points. */
export function w5Problem(): MlpProblem {
  const r = source(5);
  const sizes = [2, 256, 256, 256, 1];
  const rows = 4096;
  const x = r.normals(rows * 2);
  const noise = r.normals(rows);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = Math.sin(2 * x[2 * i]!) * Math.cos(x[2 * i + 1]!) + 0.1 * noise[i]!;
  }
  return {
    sizes,
    hidden: 'relu',
    output: 'identity',
    loss: 'mse',
    optimizer: { kind: 'sgd', lr: 0.05 },
    rows,
    x,
    y,
    init: initMlpParams(r, sizes),
  };
}

/** Number of optimizer steps in `epochs` epochs of a problem. */
export function stepsPerEpoch(p: MlpProblem): number {
  return p.batch ? Math.ceil(p.rows / p.batch.size) : 1;
}

/** Float32 copy of a float64 array. */
export function f32(a: Float64Array): Float32Array<ArrayBuffer> {
  return new Float32Array(a);
}
