/**
 * The vanishing-gradient lesson of chapter 5 as pure functions, so the chapter's text, its charts
 * and the tests read the same numbers: a width-one chain with sigmoid, plain ReLU or leaky ReLU
 * hidden layers, and the AD blog's wider network (2 hidden layers × 3 units, leaky ReLU).
 */
import {
  type ActivationSpec,
  chainForward,
  chainGradient,
  createMlpWorkspace,
  initChain,
  initMlp,
  key,
  mlpLayout,
  mlpSpec,
  mlpValueAndGradient,
} from '@annlab/core';

/** The data every gradient is averaged over: 50 points of Example 1's −3x + 2 on [0.5, 3]. */
export const VANISHING_X: readonly number[] = Array.from({ length: 50 }, (_, i) =>
  i === 49 ? 3 : 0.5 + (2.5 * i) / 49,
);

function chainActivations(depth: number, hidden: ActivationSpec): ActivationSpec[] {
  return [...new Array<ActivationSpec>(depth - 1).fill(hidden), 'identity'];
}

function checkDepth(fn: string, depth: number): void {
  if (!Number.isInteger(depth) || depth < 2 || depth > 200) {
    throw new RangeError(`${fn}: depth must be an integer in [2, 200], got ${depth}`);
  }
}

/**
 * Mean |∂L/∂w_i| over {@link VANISHING_X}, per layer, of the depth-N chain from `key(seed)` with
 * `hidden` on every layer but the last (identity). Exact zeros stay zero.
 *
 * @example
 * ```ts
 * const g = layerGradients(12, 'sigmoid', 0); // 12 numbers, g[0] ≪ g[11]
 * ```
 */
export function layerGradients(depth: number, hidden: ActivationSpec, seed: number): number[] {
  checkDepth('layerGradients', depth);
  const p = initChain(key(seed), depth);
  const acts = chainActivations(depth, hidden);
  const sum = new Array<number>(depth).fill(0);
  for (const x of VANISHING_X) {
    const g = chainGradient(p, x, -3 * x + 2, { activations: acts });
    for (let i = 0; i < depth; i++) sum[i]! += Math.abs(g.dw[i]!);
  }
  return sum.map((s) => s / VANISHING_X.length);
}

/**
 * The plain-ReLU chain: for each layer, at how many of the points its weight gradient is exactly 0,
 * and at how many points some hidden unit's input is negative (a "dead" unit).
 *
 * @example
 * ```ts
 * const { zeroCounts, deadPoints } = reluChainZeros(12, 0); // zeroCounts[0] === 50 at key 0
 * ```
 */
export function reluChainZeros(
  depth: number,
  seed: number,
): { zeroCounts: number[]; deadPoints: number; points: number } {
  checkDepth('reluChainZeros', depth);
  const p = initChain(key(seed), depth);
  const acts = chainActivations(depth, 'relu');
  const zeroCounts = new Array<number>(depth).fill(0);
  let deadPoints = 0;
  for (const x of VANISHING_X) {
    const g = chainGradient(p, x, -3 * x + 2, { activations: acts });
    for (let i = 0; i < depth; i++) if (g.dw[i] === 0) zeroCounts[i]!++;
    if (firstDeadLayer(depth, seed, x) >= 0) deadPoints++;
  }
  return { zeroCounts, deadPoints, points: VANISHING_X.length };
}

/**
 * The first hidden layer (0-based) of the plain-ReLU chain whose input w_i·x_i + b_i is negative at
 * input x, or −1 if none is. Every layer up to and including it gets an exactly zero gradient.
 *
 * @example
 * ```ts
 * firstDeadLayer(12, 0, 1.5); // 1 at key 0
 * ```
 */
export function firstDeadLayer(depth: number, seed: number, x: number): number {
  const p = initChain(key(seed), depth);
  const fw = chainForward(p, x, chainActivations(depth, 'relu'));
  for (let i = 0; i < depth - 1; i++) if (fw.zs[i]! < 0) return i;
  return -1;
}

/** The AD blog's wider network: 1 → 3 → 3 → 1, leaky ReLU (slope 0.01) hidden, identity output. */
export const LEAKY_NETWORK_SIZES: readonly number[] = [1, 3, 3, 1];

/**
 * Mean |∂L/∂W| per weight layer of the 2 × 3 leaky-ReLU network from `key(seed)` (weights and biases
 * N(0, 1), MSE over {@link VANISHING_X}), and every weight's |∂L/∂W| (the "messy" part).
 *
 * @example
 * ```ts
 * const { layers } = leakyNetworkGradients(0); // 3 numbers of about the same order
 * ```
 */
export function leakyNetworkGradients(seed: number): { layers: number[]; weights: number[][] } {
  const spec = mlpSpec([...LEAKY_NETWORK_SIZES], 'leakyRelu');
  const params = initMlp(spec, key(seed), { init: 'normal' });
  const n = VANISHING_X.length;
  const X = Float64Array.from(VANISHING_X);
  const Y = Float64Array.from(VANISHING_X, (x) => -3 * x + 2);
  const grad = new Float64Array(params.length);
  mlpValueAndGradient(spec, params, X, Y, n, 'mse', createMlpWorkspace(spec, n), grad);
  const weights = mlpLayout(spec).layers.map((l) =>
    Array.from(grad.subarray(l.wOffset, l.wOffset + l.inSize * l.outSize), Math.abs),
  );
  return { layers: weights.map((w) => w.reduce((s, v) => s + v, 0) / w.length), weights };
}

/** Everything chapter 5 shows for one setting of its controls. */
export interface VanishingLesson {
  readonly depth: number;
  readonly seed: number;
  readonly sigmoid: number[];
  readonly leaky: number[];
  readonly relu: { zeroCounts: number[]; deadPoints: number; points: number };
  readonly network: { layers: number[]; weights: number[][] };
}

/**
 * All of chapter 5's numbers for one depth and key.
 *
 * @example
 * ```ts
 * const lesson = vanishingLesson(12, 0);
 * lesson.sigmoid[0] / lesson.sigmoid[11]; // about 4e-12
 * ```
 */
export function vanishingLesson(depth: number, seed: number): VanishingLesson {
  return {
    depth,
    seed,
    sigmoid: layerGradients(depth, 'sigmoid', seed),
    leaky: layerGradients(depth, 'leakyRelu', seed),
    relu: reluChainZeros(depth, seed),
    network: leakyNetworkGradients(seed),
  };
}

/** first / last layer's mean gradient (0 when the first is exactly 0). */
export function firstToLast(values: readonly number[]): number {
  const last = values.at(-1)!;
  return last === 0 ? 0 : values[0]! / last;
}
