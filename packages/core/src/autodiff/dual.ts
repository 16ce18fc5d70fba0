/**
 * Forward-mode automatic differentiation with dual numbers: a {@link Dual} carries a value and the
 * tangent (directional derivative) along one input direction, propagated by `jvpRules`.
 */
import type { Activation, ActivationSpec } from '../activations/registry.js';
import { formatValue, invalidArgument, ValidationError } from '../errors.js';
import {
  type AnyBinaryJvp,
  type AnyBinaryPrimal,
  type AnyUnaryJvp,
  type AnyUnaryPrimal,
  type BinaryPrim,
  type DiffScalar,
  jvpRules,
  primalRules,
  resolveActivation,
  type UnaryPrim,
} from './rules.js';

const TRUSTED: unique symbol = Symbol('Dual.trusted');

/**
 * A dual number value + tangent·ε (ε² = 0): evaluating f on `new Dual(x, v)` gives f(x) and the
 * directional derivative f′(x)·v at once. Same operations as {@link Value}, as methods and in the
 * {@link dual} namespace; numbers are constants (tangent 0). Results follow IEEE arithmetic (`log` of
 * a negative value is NaN).
 *
 * @example
 * ```ts
 * const x = new Dual(3, 1); // seed dx = 1
 * const y = x.mul(x).add(1);
 * [y.value, y.tangent]; // [10, 6]
 * ```
 */
export class Dual implements DiffScalar<Dual> {
  /** The primal value. */
  readonly value: number;
  /** The tangent (derivative along the seeded direction). */
  readonly tangent: number;

  /** A dual number with finite `value` and `tangent` (0 by default: a constant). */
  constructor(value: number, tangent?: number);
  constructor(value: number, tangent = 0, trusted?: typeof TRUSTED) {
    if (trusted !== TRUSTED) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw invalidArgument('Dual', 'value', value, 'a finite number');
      }
      if (typeof tangent !== 'number' || !Number.isFinite(tangent)) {
        throw invalidArgument('Dual', 'tangent', tangent, 'a finite number');
      }
    }
    this.value = value;
    this.tangent = tangent;
  }

  /** this + b */
  add(b: Dual | number): Dual {
    return binary('add', 'dual.add', this, b);
  }
  /** this − b */
  sub(b: Dual | number): Dual {
    return binary('sub', 'dual.sub', this, b);
  }
  /** this · b */
  mul(b: Dual | number): Dual {
    return binary('mul', 'dual.mul', this, b);
  }
  /** this / b (±∞ or NaN for b = 0, like `/`) */
  div(b: Dual | number): Dual {
    return binary('div', 'dual.div', this, b);
  }
  /** thisᵇ */
  pow(b: Dual | number): Dual {
    return binary('pow', 'dual.pow', this, b);
  }
  /** −this */
  neg(): Dual {
    return unary('neg', this, undefined);
  }
  /** e^this */
  exp(): Dual {
    return unary('exp', this, undefined);
  }
  /** ln this (NaN for negative values, like `Math.log`) */
  log(): Dual {
    return unary('log', this, undefined);
  }
  /** this · this */
  square(): Dual {
    return binary('mul', 'dual.square', this, this);
  }
  /** An elementwise activation, e.g. `x.activate('tanh')`. */
  activate(spec: ActivationSpec | Activation): Dual {
    return unary('act', this, resolveActivation('dual.activate', spec));
  }

  /** `Dual(10, 6)`, for debugging. */
  toString(): string {
    return `Dual(${formatValue(this.value)}, ${formatValue(this.tangent)})`;
  }
}

const Raw = Dual as unknown as new (
  value: number,
  tangent: number,
  trusted: typeof TRUSTED,
) => Dual;

function lift(fn: string, arg: string, v: unknown): Dual {
  if (v instanceof Dual) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return new Raw(v, 0, TRUSTED);
  throw invalidArgument(fn, arg, v, 'a Dual or a finite number');
}

function binary(p: BinaryPrim, fn: string, a: unknown, b: unknown): Dual {
  const x = lift(fn, 'a', a);
  const y = lift(fn, 'b', b);
  const v = (primalRules[p] as AnyBinaryPrimal)(x.value, y.value);
  const t = (jvpRules[p] as AnyBinaryJvp)(x.tangent, y.tangent, x.value, y.value, v);
  return new Raw(v, t, TRUSTED);
}

function unary(p: UnaryPrim, x: Dual, act: Activation | undefined): Dual {
  const v = (primalRules[p] as AnyUnaryPrimal)(x.value, act);
  return new Raw(v, (jvpRules[p] as AnyUnaryJvp)(x.tangent, x.value, v, act), TRUSTED);
}

/**
 * The forward-mode operations as free functions, mirroring those on {@link Value}: `dual.add(a, b)`,
 * `dual.sum(xs)`, `dual.activate(x, 'tanh')`. Numbers are constants.
 *
 * @example
 * ```ts
 * const x = new Dual(0, 1);
 * dual.activate(dual.add(x, 0), 'sigmoid').tangent; // 0.25
 * ```
 */
export const dual = {
  /** a + b */
  add: (a: Dual | number, b: Dual | number): Dual => binary('add', 'dual.add', a, b),
  /** a − b */
  sub: (a: Dual | number, b: Dual | number): Dual => binary('sub', 'dual.sub', a, b),
  /** a · b */
  mul: (a: Dual | number, b: Dual | number): Dual => binary('mul', 'dual.mul', a, b),
  /** a / b */
  div: (a: Dual | number, b: Dual | number): Dual => binary('div', 'dual.div', a, b),
  /** aᵇ; a zero tangent of a or b contributes 0 even where its partial derivative is not finite. */
  pow: (a: Dual | number, b: Dual | number): Dual => binary('pow', 'dual.pow', a, b),
  /** −x */
  neg: (x: Dual | number): Dual => unary('neg', lift('dual.neg', 'x', x), undefined),
  /** eˣ */
  exp: (x: Dual | number): Dual => unary('exp', lift('dual.exp', 'x', x), undefined),
  /** ln x (NaN for x < 0, like `Math.log`). */
  log: (x: Dual | number): Dual => unary('log', lift('dual.log', 'x', x), undefined),
  /** x² */
  square: (x: Dual | number): Dual => {
    const d = lift('dual.square', 'x', x);
    return binary('mul', 'dual.square', d, d);
  },
  /** An elementwise activation by spec or {@link Activation}. */
  activate: (x: Dual | number, spec: ActivationSpec | Activation): Dual =>
    unary('act', lift('dual.activate', 'x', x), resolveActivation('dual.activate', spec)),
  /** Σ values, left to right (0 for an empty array). */
  sum: (values: readonly (Dual | number)[]): Dual => {
    if (!Array.isArray(values)) {
      throw invalidArgument('dual.sum', 'values', values, 'an array of Duals or finite numbers');
    }
    let v = 0;
    let t = 0;
    for (let i = 0; i < values.length; i++) {
      const d = lift('dual.sum', `values[${i}]`, values[i]);
      v += d.value;
      t += d.tangent;
    }
    return new Raw(v, t, TRUSTED);
  },
} as const;

/** Result of {@link jvp}: numbers for a scalar f, arrays for a vector f. */
export type JvpResult<R> = R extends readonly Dual[]
  ? {
      /** f's outputs at the primals. */
      value: number[];
      /** J·tangents, one entry per output. */
      tangent: number[];
    }
  : {
      /** f at the primals. */
      value: number;
      /** The directional derivative J·tangents. */
      tangent: number;
    };

function checkNumbers(fn: string, arg: string, xs: unknown): readonly number[] {
  if (!Array.isArray(xs) && !(ArrayBuffer.isView(xs) && !(xs instanceof DataView))) {
    throw invalidArgument(fn, arg, xs, 'an array of finite numbers');
  }
  const arr = xs as ArrayLike<unknown>;
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw invalidArgument(fn, `${arg}[${i}]`, v, 'a finite number');
    }
  }
  return arr as readonly number[];
}

function outputs(fn: string, out: unknown): { list: readonly Dual[]; scalar: boolean } {
  const scalar = !Array.isArray(out);
  const list = (scalar ? [out] : out) as readonly unknown[];
  for (let i = 0; i < list.length; i++) {
    if (!(list[i] instanceof Dual)) {
      throw new ValidationError(
        `${fn}: f must return a Dual or an array of Duals, got ${formatValue(list[i])}${scalar ? '' : ` at index ${i}`}`,
        fn,
        'f',
      );
    }
  }
  return { list: list as readonly Dual[], scalar };
}

/**
 * Jacobian–vector product: f's value at `primals` and its directional derivative J·`tangents`, in
 * one forward pass. f may return one Dual or an array of Duals.
 *
 * @example
 * ```ts
 * jvp((x, y) => x.mul(y), [2, 3], [1, 0]); // { value: 6, tangent: 3 }
 * jvp((x) => [x.exp(), x.square()], [0], [1]); // { value: [1, 0], tangent: [1, 0] }
 * ```
 */
export function jvp<R extends Dual | readonly Dual[]>(
  f: (...args: Dual[]) => R,
  primals: ArrayLike<number>,
  tangents: ArrayLike<number>,
): JvpResult<R> {
  if (typeof f !== 'function') throw invalidArgument('jvp', 'f', f, 'a function');
  const xs = checkNumbers('jvp', 'primals', primals);
  const ts = checkNumbers('jvp', 'tangents', tangents);
  if (ts.length !== xs.length) {
    throw new ValidationError(
      `jvp: tangents must have the length of primals (${xs.length}), got ${ts.length}`,
      'jvp',
      'tangents',
    );
  }
  const args = Array.from(xs, (x, i) => new Raw(x, ts[i]!, TRUSTED));
  const { list, scalar } = outputs('jvp', f(...args));
  if (scalar) return { value: list[0]!.value, tangent: list[0]!.tangent } as JvpResult<R>;
  return {
    value: list.map((d) => d.value),
    tangent: list.map((d) => d.tangent),
  } as JvpResult<R>;
}

/**
 * The Jacobian by forward mode, one pass per input: `jacfwd(f)(...x)[i][j]` = ∂fᵢ/∂xⱼ (rows =
 * outputs; one row when f returns a single Dual). Prefer it when there are fewer inputs than outputs.
 * For a function of a parameter array, spread it: `jacfwd((...p) => g(p))(...params)`.
 *
 * @example
 * ```ts
 * // width-one chain x₁ = tanh(w₀x₀ + b₀), x₂ = tanh(w₁x₁ + b₁): rows dx₁/dp, dx₂/dp
 * const chain = (w0: Dual, b0: Dual, w1: Dual, b1: Dual) => {
 *   const x1 = w0.mul(0.5).add(b0).activate('tanh');
 *   return [x1, w1.mul(x1).add(b1).activate('tanh')];
 * };
 * jacfwd(chain)(1, 0, 2, 0); // 2 × 4 matrix
 * ```
 */
export function jacfwd(
  f: (...args: Dual[]) => Dual | readonly Dual[],
): (...args: number[]) => number[][] {
  if (typeof f !== 'function') throw invalidArgument('jacfwd', 'f', f, 'a function');
  return (...args: number[]) => {
    const xs = checkNumbers('jacfwd', 'args', args);
    const n = xs.length;
    let rows: number[][] | undefined;
    const duals = new Array<Dual>(n);
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) duals[k] = new Raw(xs[k]!, k === j ? 1 : 0, TRUSTED);
      const { list } = outputs('jacfwd', f(...duals));
      rows ??= list.map(() => new Array<number>(n).fill(0));
      if (list.length !== rows.length) {
        throw new ValidationError(
          `jacfwd: f must return the same number of outputs for every direction, got ${list.length} and ${rows.length}`,
          'jacfwd',
          'f',
        );
      }
      for (let i = 0; i < list.length; i++) rows[i]![j] = list[i]!.tangent;
    }
    if (rows === undefined) {
      // no inputs: one evaluation gives the number of outputs, each with an empty row
      return outputs('jacfwd', f()).list.map(() => []);
    }
    return rows;
  };
}
