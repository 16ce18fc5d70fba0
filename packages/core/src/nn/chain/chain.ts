/**
 * The lecture's width-one deep network x_{i+1} = h_i(w_i·x_i + b_i), i = 1..N, with loss
 * ½(ŷ − y)², ŷ = x_{N+1}: forward pass, the linear system behind its derivative, and its gradient
 * by backpropagation, reverse-mode autodiff or the triangular solve.
 *
 * Indices in code are 0-based: layer i = 0..N−1 maps xs[i] to xs[i+1], with z_i = w_i·xs[i] + b_i
 * and δ_i = h_i'(z_i).
 */
import type { Activation } from '../../activations/index.js';
import { formatValue, NonFiniteError, ShapeError, ValidationError } from '../../errors.js';
import { type Matrix, matrix, solveLowerBidiagonal } from '../../linalg/index.js';
import { chainAutodiffGradient } from './autodiff.js';
import {
  assertChainParams,
  type ChainActivation,
  type ChainParams,
  resolveChainActivations,
} from './params.js';

/** Result of {@link chainForward}. */
export interface ChainForward {
  /** The N+1 states: xs[0] is the input, xs[N] the output ŷ. */
  readonly xs: Float64Array;
  /** The N pre-activations z_i = w_i·xs[i] + b_i. */
  readonly zs: Float64Array;
  /** The N local derivatives δ_i = h_i'(z_i). */
  readonly deltas: Float64Array;
  /** ŷ = xs[N]. */
  readonly output: number;
}

function assertFinite(fn: string, arg: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ValidationError(
      `${fn}: ${arg} must be a finite number, got ${formatValue(v)}`,
      fn,
      arg,
    );
  }
}

function forward(p: Float64Array, depth: number, x: number, acts: Activation[]): ChainForward {
  const xs = new Float64Array(depth + 1);
  const zs = new Float64Array(depth);
  const deltas = new Float64Array(depth);
  xs[0] = x;
  for (let i = 0; i < depth; i++) {
    const z = p[i]! * xs[i]! + p[depth + i]!;
    const a = acts[i]!;
    zs[i] = z;
    xs[i + 1] = a.f(z);
    deltas[i] = a.df(z);
  }
  return { xs, zs, deltas, output: xs[depth]! };
}

/**
 * Runs the network on one input, keeping every state and local derivative.
 *
 * Steps: xs[0] = x; for i = 0..N−1: z_i = w_i·xs[i] + b_i, xs[i+1] = h_i(z_i), δ_i = h_i'(z_i).
 *
 * @param activations - N activations (specs or resolved); default sigmoid ×(N−1) then identity.
 *
 * @example
 * ```ts
 * const p = chainParams([2, -1], [0, 0.5]);
 * chainForward(p, 1).output; // −σ(2) + 0.5
 * ```
 */
export function chainForward(
  params: ChainParams,
  x: number,
  activations?: ReadonlyArray<ChainActivation>,
): ChainForward {
  const fn = 'chainForward';
  assertChainParams(fn, params);
  assertFinite(fn, 'x', x);
  const acts = resolveChainActivations(fn, params.depth, activations);
  return forward(params.data, params.depth, x, acts);
}

/** Result of {@link chainJacobian}: the lecture's linear system (I − L)·dx = D·dp and its solution. */
export interface ChainJacobian extends ChainForward {
  /**
   * N×2N (0-based): row i holds ∂xs[i+1]/∂(w_i, b_i) at fixed xs[i], i.e. D[i][2i] = δ_i·xs[i]
   * and D[i][2i+1] = δ_i; columns are ordered dp = (dw_1, db_1, …, dw_N, db_N).
   */
  readonly D: Matrix;
  /** N×N strictly lower bidiagonal (0-based): L[i][i−1] = δ_i·w_i = ∂xs[i+1]/∂xs[i]. */
  readonly L: Matrix;
  /**
   * dx/dp = (I − L)⁻¹·D, N×2N: entry [i][j] = ∂xs[i+1]/∂p_j with p interleaved as in D. Its
   * last row is ∂ŷ/∂p.
   */
  readonly dxdp: Matrix;
}

/** Names the first layer whose δ·w or δ·x overflowed, in the caller's words (not the solver's). */
function assertLinearisationFinite(sub: Float64Array, D: Matrix, depth: number): void {
  for (let i = 0; i < depth; i++) {
    const bad = [
      ['δ·w (the matrix L)', i > 0 ? sub[i - 1]! : 0],
      ['δ·x (the matrix D)', D.data[i * 2 * depth + 2 * i]!],
      ['δ (the matrix D)', D.data[i * 2 * depth + 2 * i + 1]!],
    ].find(([, v]) => !Number.isFinite(v as number));
    if (bad) {
      throw new NonFiniteError(
        `chainGradient: ${bad[0]} is ${formatValue(bad[1])} at layer ${i + 1}; the weights are too large for method 'triangular'`,
      );
    }
  }
}

function jacobian(p: Float64Array, depth: number, x: number, acts: Activation[]): ChainJacobian {
  const fw = forward(p, depth, x, acts);
  const { xs, deltas } = fw;
  const D = matrix(depth, 2 * depth);
  const L = matrix(depth, depth);
  const ones = new Float64Array(depth).fill(1);
  const sub = new Float64Array(Math.max(0, depth - 1));
  for (let i = 0; i < depth; i++) {
    const d = deltas[i]!;
    D.data[i * 2 * depth + 2 * i] = d * xs[i]!;
    D.data[i * 2 * depth + 2 * i + 1] = d;
    if (i > 0) {
      const lij = d * p[i]!;
      L.data[i * depth + i - 1] = lij;
      sub[i - 1] = -lij; // (I − L)[i][i−1]
    }
  }
  assertLinearisationFinite(sub, D, depth);
  const dxdp = solveLowerBidiagonal(ones, sub, D);
  for (let k = 0; k < dxdp.data.length; k++) {
    if (!Number.isFinite(dxdp.data[k]!)) {
      const row = Math.floor(k / (2 * depth));
      throw new NonFiniteError(
        `chainGradient: the triangular solve overflowed at layer ${row + 1} (dx/dp = ${formatValue(dxdp.data[k])}); the weights are too large for method 'triangular'`,
      );
    }
  }
  return { ...fw, D, L, dxdp };
}

/**
 * The lecture's linearisation of the network at input x.
 *
 * Differentiating x_{i+1} = h_i(w_i·x_i + b_i) gives
 * dx_{i+1} = δ_i·w_i·dx_i + δ_i·x_i·dw_i + δ_i·db_i, i.e. dx = L·dx + D·dp with dx = (dx_2..dx_{N+1}),
 * so (I − L)·dx = D·dp and dx/dp = (I − L)⁻¹·D.
 *
 * Steps: 1. forward pass keeping xs and δs; 2. fill D (N×2N) and L (N×N, strictly lower
 * bidiagonal); 3. solve (I − L)·X = D by bidiagonal forward substitution, O(N) per column.
 *
 * @example
 * ```ts
 * const { D, L, dxdp } = chainJacobian(chainParams([2, -1], [0, 0.5]), 1);
 * toRows(dxdp)[1]; // ∂ŷ/∂(w_1, b_1, w_2, b_2)
 * ```
 */
export function chainJacobian(
  params: ChainParams,
  x: number,
  activations?: ReadonlyArray<ChainActivation>,
): ChainJacobian {
  const fn = 'chainJacobian';
  assertChainParams(fn, params);
  assertFinite(fn, 'x', x);
  const acts = resolveChainActivations(fn, params.depth, activations);
  return jacobian(params.data, params.depth, x, acts);
}

/** How {@link chainGradient} differentiates. */
export type ChainGradientMethod = 'backprop' | 'autodiff' | 'triangular';

const METHODS: readonly ChainGradientMethod[] = ['backprop', 'autodiff', 'triangular'];

/** Options of {@link chainGradient}. */
export interface ChainGradientOptions {
  /** Default `'backprop'`. */
  readonly method?: ChainGradientMethod;
  /** N activations; default sigmoid ×(N−1) then identity. */
  readonly activations?: ReadonlyArray<ChainActivation>;
}

/** Result of {@link chainGradient}. */
export interface ChainGradient {
  /** The method that computed it. */
  readonly method: ChainGradientMethod;
  /** ½(ŷ − y)². */
  readonly loss: number;
  /** ŷ. */
  readonly output: number;
  /** ∂loss/∂params in the layout of `params.data`: [∂w_1..∂w_N, ∂b_1..∂b_N]. */
  readonly grad: Float64Array;
  /** View of `grad`: ∂loss/∂w_i. */
  readonly dw: Float64Array;
  /** View of `grad`: ∂loss/∂b_i. */
  readonly db: Float64Array;
  /** `'triangular'` only: see {@link ChainJacobian.D}. */
  readonly D?: Matrix;
  /** `'triangular'` only: see {@link ChainJacobian.L}. */
  readonly L?: Matrix;
  /** `'triangular'` only: (I − L)⁻¹·D, N×2N, see {@link ChainJacobian.dxdp}. */
  readonly dxdp?: Matrix;
}

/**
 * The backward half of every backprop variant: from r = ŷ − y, for i = N−1..0, s = t·δ_i,
 * ∂w_i = s·x_i, ∂b_i = s, t ← s·w_i (t starts at r), written into g.
 */
function backSubstitute(
  p: Float64Array,
  depth: number,
  xs: Float64Array,
  deltas: Float64Array,
  r: number,
  g: Float64Array,
): void {
  let t = r;
  for (let i = depth - 1; i >= 0; i--) {
    const s = t * deltas[i]!;
    g[i] = s * xs[i]!;
    g[depth + i] = s;
    t = s * p[i]!;
  }
}

/**
 * Backpropagation, the one reference of the chain's backward pass (used by {@link chainGradient}
 * and {@link chainBackpropInto}): forward keeping xs and δs, then {@link backSubstitute}. Sigmoid,
 * tanh, relu and identity are inlined by name (bit-identical to their `f` and `df`, without boxed
 * return values), the others go through `f` and `df`. Writes the gradient into g; returns the loss.
 */
function backprop(
  p: Float64Array,
  depth: number,
  x: number,
  y: number,
  acts: ReadonlyArray<Activation>,
  xs: Float64Array,
  deltas: Float64Array,
  g: Float64Array,
): number {
  let v = x;
  for (let i = 0; i < depth; i++) {
    xs[i] = v;
    const z = p[i]! * v + p[depth + i]!;
    const a = acts[i]!;
    const name = a.name;
    if (name === 'sigmoid') {
      if (z >= 0) {
        v = 1 / (1 + Math.exp(-z));
      } else {
        const e = Math.exp(z);
        v = e / (1 + e);
      }
      deltas[i] = v * (1 - v);
    } else if (name === 'tanh') {
      v = Math.tanh(z);
      const e = Math.exp(-2 * Math.abs(z));
      const d = 1 + e;
      deltas[i] = (4 * e) / (d * d);
    } else if (name === 'identity') {
      v = z;
      deltas[i] = Number.isNaN(z) ? Number.NaN : 1;
    } else if (name === 'relu') {
      v = z > 0 ? z : z <= 0 ? 0 : Number.NaN;
      deltas[i] = z > 0 ? 1 : z <= 0 ? 0 : Number.NaN;
    } else {
      v = a.f(z);
      deltas[i] = a.df(z);
    }
  }
  xs[depth] = v;
  const r = v - y;
  backSubstitute(p, depth, xs, deltas, r, g);
  return 0.5 * r * r;
}

/**
 * The gradient of ½(ŷ − y)² with respect to all 2N parameters.
 *
 * - `'backprop'`: forward pass keeping xs and δs, then r = ŷ − y and for i = N−1..0:
 *   s = t·δ_i, ∂w_i = s·x_i, ∂b_i = s, t ← s·w_i (starting from t = ŷ − y). This is the back
 *   substitution (I − L)ᵀ·u = e_N for the row vector e_Nᵀ(I − L)⁻¹, with t = (ŷ − y)·u_i: the
 *   transpose of the triangular method's solve, one pass instead of 2N columns.
 * - `'autodiff'`: the same expression traced with reverse-mode `Value`s and differentiated by
 *   `valueAndGradVector` (one backward pass over the recorded graph).
 * - `'triangular'`: builds D and L ({@link chainJacobian}), solves (I − L)·dx = D·dp for all dp at
 *   once and takes (ŷ − y) times the last row; also returns D, L and dx/dp.
 *
 * All three agree to rounding (tested to 1e-12 relative for depths 1..50).
 *
 * @example
 * ```ts
 * const p = chainParams([1.2, -0.7, 2], [0.1, 0.3, -0.5]);
 * const { loss, grad } = chainGradient(p, 0.8, 1.5, { method: 'triangular' });
 * ```
 */
export function chainGradient(
  params: ChainParams,
  x: number,
  y: number,
  opts: ChainGradientOptions = {},
): ChainGradient {
  const fn = 'chainGradient';
  assertChainParams(fn, params);
  assertFinite(fn, 'x', x);
  assertFinite(fn, 'y', y);
  if (opts === null || typeof opts !== 'object') {
    throw new ValidationError(
      `${fn}: opts must be an object, got ${formatValue(opts)}`,
      fn,
      'opts',
    );
  }
  const method = opts.method ?? 'backprop';
  if (!METHODS.includes(method)) {
    throw new ValidationError(
      `${fn}: opts.method must be one of ${METHODS.map((m) => `'${m}'`).join(', ')}, got ${formatValue(method)}`,
      fn,
      'opts.method',
    );
  }
  const depth = params.depth;
  const acts = resolveChainActivations(fn, depth, opts.activations);
  const p = params.data;
  const grad = new Float64Array(2 * depth);
  const views = { dw: grad.subarray(0, depth), db: grad.subarray(depth) };
  if (method === 'backprop') {
    const xs = new Float64Array(depth + 1);
    const deltas = new Float64Array(depth);
    const loss = backprop(p, depth, x, y, acts, xs, deltas, grad);
    return { method, loss, output: xs[depth]!, grad, ...views };
  }
  if (method === 'triangular') {
    const J = jacobian(p, depth, x, acts);
    const r = J.output - y;
    const last = (depth - 1) * 2 * depth;
    for (let i = 0; i < depth; i++) {
      grad[i] = r * J.dxdp.data[last + 2 * i]!;
      grad[depth + i] = r * J.dxdp.data[last + 2 * i + 1]!;
    }
    return {
      method,
      loss: 0.5 * r * r,
      output: J.output,
      grad,
      ...views,
      D: J.D,
      L: J.L,
      dxdp: J.dxdp,
    };
  }
  const { loss, output } = chainAutodiffGradient(p, depth, x, y, acts, grad);
  return { method, loss, output, grad, ...views };
}

/** Scratch buffers for {@link chainBackpropInto}; make one per depth and reuse it. */
export interface ChainWorkspace {
  /** The depth N it serves. */
  readonly depth: number;
  /** The N+1 states of the last call (xs[0] = x, xs[N] = ŷ), as in {@link chainForward}. */
  readonly xs: Float64Array;
  /** δ_1..δ_N of the last call. */
  readonly deltas: Float64Array;
}

/**
 * Scratch space for {@link chainBackpropInto} at the given depth.
 *
 * @example
 * ```ts
 * const ws = createChainWorkspace(3);
 * ```
 */
export function createChainWorkspace(depth: number): ChainWorkspace {
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1) {
    throw new ValidationError(
      `createChainWorkspace: depth must be an integer ≥ 1, got ${formatValue(depth)}`,
      'createChainWorkspace',
      'depth',
    );
  }
  return { depth, xs: new Float64Array(depth + 1), deltas: new Float64Array(depth) };
}

function backpropArgumentError(
  params: Float64Array,
  depth: number,
  x: number,
  y: number,
  acts: ReadonlyArray<Activation>,
  ws: ChainWorkspace,
  gradOut: Float64Array,
): ValidationError {
  const fn = 'chainBackpropInto';
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1) {
    return new ValidationError(
      `${fn}: depth must be an integer ≥ 1, got ${formatValue(depth)}`,
      fn,
      'depth',
    );
  }
  if (!(params instanceof Float64Array) || params.length !== 2 * depth) {
    return new ShapeError(
      `${fn}: params must be a Float64Array of length 2·depth = ${2 * depth}, got ${formatValue(params)}`,
      fn,
      'params',
    );
  }
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    return new ValidationError(`${fn}: x must be a finite number, got ${formatValue(x)}`, fn, 'x');
  }
  if (typeof y !== 'number' || !Number.isFinite(y)) {
    return new ValidationError(`${fn}: y must be a finite number, got ${formatValue(y)}`, fn, 'y');
  }
  if (!Array.isArray(acts) || acts.length !== depth) {
    return new ShapeError(
      `${fn}: acts must be an array of depth = ${depth} Activations, got ${formatValue(acts)}`,
      fn,
      'acts',
    );
  }
  if (ws === null || typeof ws !== 'object' || ws.depth !== depth) {
    return new ShapeError(
      `${fn}: ws must be a ChainWorkspace of depth ${depth} (createChainWorkspace(${depth})), got depth ${formatValue(ws?.depth)}`,
      fn,
      'ws',
    );
  }
  return new ShapeError(
    `${fn}: gradOut must be a Float64Array of length 2·depth = ${2 * depth}, got ${formatValue(gradOut)}`,
    fn,
    'gradOut',
  );
}

/**
 * Allocation-free gradient of ½(ŷ − y)² for training loops: writes ∂loss/∂params into `gradOut`
 * (layout of `params`: [∂w_1..∂w_N, ∂b_1..∂b_N], overwritten, not accumulated) and returns the loss.
 *
 * Validates cheaply on every call (depth, lengths, finite x and y, workspace depth), then runs the
 * same backpropagation as `chainGradient` (sigmoid, tanh, relu and identity layers inlined, the
 * others through `f` and `df`), so results are bit-identical to it. Activations are recognised by
 * `name`, so pass ones made by `activation(spec)`.
 *
 * @param params - the flat parameters `[w_1..w_N, b_1..b_N]`, e.g. `chainParams(...).data`.
 * @param acts - N resolved activations, e.g. `defaultChainActivations(N).map(activation)`.
 * @param ws - from `createChainWorkspace(depth)`.
 *
 * @example
 * ```ts
 * const p = initChain(key(0), 3);
 * const acts = defaultChainActivations(3).map((s) => activation(s));
 * const ws = createChainWorkspace(3);
 * const g = new Float64Array(6);
 * for (const [x, y] of samples) {
 *   chainBackpropInto(p.data, 3, x, y, acts, ws, g);
 *   for (let k = 0; k < 6; k++) p.data[k] -= 0.01 * g[k];
 * }
 * ```
 */
export function chainBackpropInto(
  params: Float64Array,
  depth: number,
  x: number,
  y: number,
  acts: ReadonlyArray<Activation>,
  ws: ChainWorkspace,
  gradOut: Float64Array,
): number {
  // One combined cheap check; the cold helper finds which argument failed.
  if (
    !(depth >= 1) ||
    params?.length !== 2 * depth ||
    gradOut?.length !== 2 * depth ||
    acts?.length !== depth ||
    ws?.depth !== depth ||
    !(x - x === 0) ||
    !(y - y === 0) ||
    !Number.isInteger(depth)
  ) {
    throw backpropArgumentError(params, depth, x, y, acts, ws, gradOut);
  }
  for (let i = 0; i < depth; i++) {
    const a = acts[i];
    if (typeof a?.f !== 'function' || typeof a.df !== 'function') {
      throw new ValidationError(
        `chainBackpropInto: acts[${i}] must be an Activation (from activation(spec)), got ${formatValue(a)}`,
        'chainBackpropInto',
        'acts',
      );
    }
  }
  return backprop(params, depth, x, y, acts, ws.xs, ws.deltas, gradOut);
}
