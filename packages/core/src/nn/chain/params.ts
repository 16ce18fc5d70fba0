/**
 * Parameters and activations of the lecture's width-one deep network
 * x_{i+1} = h_i(w_i·x_i + b_i), i = 1..N.
 */
import { type Activation, type ActivationSpec, activation } from '../../activations/index.js';
import { assertInteger, formatValue, ShapeError, ValidationError } from '../../errors.js';

/**
 * The 2N parameters of a width-one network of depth N, in one buffer:
 * `data = [w_1..w_N, b_1..b_N]`; `w` and `b` are views into `data` (writing `w[0]` changes
 * `data[0]`).
 */
export interface ChainParams {
  /** The depth N (number of layers). */
  readonly depth: number;
  /** All 2N parameters: `[w_1..w_N, b_1..b_N]`. */
  readonly data: Float64Array;
  /** The weights w_1..w_N, a view of `data`. */
  readonly w: Float64Array;
  /** The biases b_1..b_N, a view of `data`. */
  readonly b: Float64Array;
}

/** One layer's activation: a spec such as `'sigmoid'` or a resolved {@link Activation}. */
export type ChainActivation = ActivationSpec | Activation;

function wrap(data: Float64Array, depth: number): ChainParams {
  return {
    depth,
    data,
    w: data.subarray(0, depth),
    b: data.subarray(depth, 2 * depth),
  };
}

function checkFinite(fn: string, arg: string, v: ArrayLike<number>): void {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new ValidationError(
        `${fn}: ${arg} must be finite, got ${formatValue(v[i])} at index ${i}`,
        fn,
        arg,
      );
    }
  }
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return (
    v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number'
  );
}

/**
 * Builds {@link ChainParams} from the weights and biases (copied into a fresh buffer).
 *
 * @example
 * ```ts
 * const p = chainParams([1.5, -0.3, 2], [0.1, 0, -1]); // depth 3
 * p.data; // Float64Array [1.5, -0.3, 2, 0.1, 0, -1]
 * ```
 */
export function chainParams(w: ArrayLike<number>, b: ArrayLike<number>): ChainParams {
  const fn = 'chainParams';
  if (!isArrayLike(w)) {
    throw new ValidationError(
      `${fn}: w must be an array of numbers, got ${formatValue(w)}`,
      fn,
      'w',
    );
  }
  if (!isArrayLike(b)) {
    throw new ValidationError(
      `${fn}: b must be an array of numbers, got ${formatValue(b)}`,
      fn,
      'b',
    );
  }
  if (w.length < 1) {
    throw new ShapeError(`${fn}: w must have at least one weight, got length 0`, fn, 'w');
  }
  if (b.length !== w.length) {
    throw new ShapeError(
      `${fn}: b must have the length of w (${w.length}), got length ${b.length}`,
      fn,
      'b',
    );
  }
  checkFinite(fn, 'w', w);
  checkFinite(fn, 'b', b);
  const n = w.length;
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    data[i] = w[i]!;
    data[n + i] = b[i]!;
  }
  return wrap(data, n);
}

/** Wraps an existing `[w..., b...]` buffer without copying (internal: initChain). */
export function chainParamsView(data: Float64Array, depth: number): ChainParams {
  return wrap(data, depth);
}

/**
 * The lecture's activations for depth N: sigmoid on layers 1..N−1, identity on layer N.
 *
 * @example
 * ```ts
 * defaultChainActivations(3); // ['sigmoid', 'sigmoid', 'identity']
 * ```
 */
export function defaultChainActivations(depth: number): ActivationSpec[] {
  assertInteger('defaultChainActivations', 'depth', depth, 1);
  const out: ActivationSpec[] = new Array<ActivationSpec>(depth).fill('sigmoid');
  out[depth - 1] = 'identity';
  return out;
}

/** Validates ChainParams at a public boundary; returns the depth. */
export function assertChainParams(fn: string, params: unknown): asserts params is ChainParams {
  const p = params as Partial<ChainParams> | null;
  if (
    p === null ||
    typeof p !== 'object' ||
    !Number.isInteger(p.depth) ||
    (p.depth as number) < 1 ||
    !(p.data instanceof Float64Array)
  ) {
    throw new ValidationError(
      `${fn}: params must be ChainParams { depth, data, w, b } (see chainParams, initChain), got ${formatValue(params)}`,
      fn,
      'params',
    );
  }
  if (p.data.length !== 2 * p.depth!) {
    throw new ShapeError(
      `${fn}: params.data must have length 2·depth = ${2 * p.depth!}, got length ${p.data.length}`,
      fn,
      'params',
    );
  }
  checkFinite(fn, 'params.data', p.data);
}

function isActivation(a: unknown): a is Activation {
  return (
    a !== null &&
    typeof a === 'object' &&
    typeof (a as Activation).f === 'function' &&
    typeof (a as Activation).df === 'function'
  );
}

/** Resolves the optional activations argument to `depth` Activations (default: the lecture's). */
export function resolveChainActivations(
  fn: string,
  depth: number,
  activations: ReadonlyArray<ChainActivation> | undefined,
): Activation[] {
  const specs = activations ?? defaultChainActivations(depth);
  if (!Array.isArray(specs)) {
    throw new ValidationError(
      `${fn}: activations must be an array of ${depth} activations, got ${formatValue(specs)}`,
      fn,
      'activations',
    );
  }
  if (specs.length !== depth) {
    throw new ShapeError(
      `${fn}: activations must have length depth = ${depth}, got length ${specs.length}`,
      fn,
      'activations',
    );
  }
  return specs.map((s: ChainActivation, i: number) => {
    if (isActivation(s)) return s;
    try {
      return activation(s);
    } catch (e) {
      throw new ValidationError(
        `${fn}: activations[${i}] is invalid: ${(e as Error).message}`,
        fn,
        'activations',
      );
    }
  });
}
