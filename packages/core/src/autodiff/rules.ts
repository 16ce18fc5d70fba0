/**
 * The primitive operations shared by reverse mode ({@link Value}) and forward mode ({@link Dual}),
 * with one exhaustive table each for the primal value, the vector–Jacobian product (VJP) and the
 * Jacobian–vector product (JVP). A primitive without a rule fails the type check.
 */
import { type Activation, type ActivationSpec, activation } from '../activations/registry.js';
import { formatValue, ValidationError } from '../errors.js';

/** Primitives with two operands. */
export type BinaryPrim = 'add' | 'sub' | 'mul' | 'div' | 'pow';
/** Primitives with one operand; `act` applies an elementwise activation (see {@link DiffScalar.activate}). */
export type UnaryPrim = 'neg' | 'exp' | 'log' | 'act';
/** Every primitive operation of the autodiff graph. */
export type Prim = BinaryPrim | UnaryPrim;

type PrimalRule<P extends Prim> = P extends BinaryPrim
  ? (a: number, b: number) => number
  : (x: number, act: Activation | undefined) => number;

/** Cotangents of the operands, given the output cotangent g, the operands and the output y. */
type VjpRule<P extends Prim> = P extends BinaryPrim
  ? (g: number, a: number, b: number, y: number) => readonly [number, number]
  : (g: number, x: number, y: number, act: Activation | undefined) => number;

/** Tangent of the output, given the operands' tangents, the operands and the output y. */
type JvpRule<P extends Prim> = P extends BinaryPrim
  ? (ta: number, tb: number, a: number, b: number, y: number) => number
  : (t: number, x: number, y: number, act: Activation | undefined) => number;

/** ∂(aᵇ)/∂a = b·aᵇ⁻¹, taken as 0 for b = 0 (aᵇ ≡ 1), also at a = 0. */
function dPowBase(a: number, b: number): number {
  return b === 0 ? 0 : b * a ** (b - 1);
}

/** ∂(aᵇ)/∂b = aᵇ·ln a, taken as 0 where aᵇ = 0 (the limit at a = 0⁺); NaN for a < 0. */
function dPowExponent(a: number, y: number): number {
  return y === 0 ? 0 : y * Math.log(a);
}

/** y = op(operands). */
export const primalRules: { readonly [P in Prim]: PrimalRule<P> } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  neg: (x) => -x,
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  act: (x, act) => act!.f(x),
};

/** Reverse mode: the operands' cotangents. */
export const vjpRules: { readonly [P in Prim]: VjpRule<P> } = {
  add: (g) => [g, g], // d(a + b) = da + db
  sub: (g) => [g, -g], // d(a − b) = da − db
  mul: (g, a, b) => [g * b, g * a], // d(ab) = b da + a db
  div: (g, _a, b, y) => [g / b, (-g * y) / b], // d(a/b) = (da − y db)/b
  pow: (g, a, b, y) => [g * dPowBase(a, b), g * dPowExponent(a, y)], // d(aᵇ) = b aᵇ⁻¹ da + aᵇ ln a db
  neg: (g) => -g, // d(−x) = −dx
  exp: (g, _x, y) => g * y, // d eˣ = eˣ dx
  log: (g, x) => g / x, // d ln x = dx/x
  act: (g, x, _y, act) => g * act!.df(x), // d f(x) = f′(x) dx
};

/**
 * Forward mode: the output's tangent. A zero tangent contributes exactly zero, even where the
 * partial derivative is infinite or NaN (a constant base or exponent in `pow`).
 */
export const jvpRules: { readonly [P in Prim]: JvpRule<P> } = {
  add: (ta, tb) => ta + tb, // d(a + b) = da + db
  sub: (ta, tb) => ta - tb, // d(a − b) = da − db
  mul: (ta, tb, a, b) => ta * b + a * tb, // d(ab) = b da + a db
  div: (ta, tb, _a, b, y) => (ta - y * tb) / b, // d(a/b) = (da − y db)/b
  pow: (ta, tb, a, b, y) =>
    (ta === 0 ? 0 : ta * dPowBase(a, b)) + (tb === 0 ? 0 : tb * dPowExponent(a, y)), // d(aᵇ) = b aᵇ⁻¹ da + aᵇ ln a db
  neg: (t) => -t, // d(−x) = −dx
  exp: (t, _x, y) => t * y, // d eˣ = eˣ dx
  log: (t, x) => t / x, // d ln x = dx/x
  act: (t, x, _y, act) => t * act!.df(x), // d f(x) = f′(x) dx
};

/** Unary and binary rules, widened for the interpreters that dispatch on operand count. */
export type AnyUnaryPrimal = PrimalRule<UnaryPrim>;
export type AnyBinaryPrimal = PrimalRule<BinaryPrim>;
export type AnyUnaryVjp = VjpRule<UnaryPrim>;
export type AnyBinaryVjp = VjpRule<BinaryPrim>;
export type AnyUnaryJvp = JvpRule<UnaryPrim>;
export type AnyBinaryJvp = JvpRule<BinaryPrim>;

const cache = new Map<string, Activation>();

function isActivation(spec: unknown): spec is Activation {
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof (spec as Activation).f === 'function' &&
    typeof (spec as Activation).df === 'function'
  );
}

/**
 * Resolves an activation spec (or an {@link Activation} object, used as is) for the function `fn`;
 * string specs are cached, so `activate(v, 'tanh')` in a loop builds the activation once.
 */
export function resolveActivation(fn: string, spec: ActivationSpec | Activation): Activation {
  if (typeof spec === 'string') {
    let act = cache.get(spec);
    if (act === undefined) {
      act = lookup(fn, spec);
      cache.set(spec, act);
    }
    return act;
  }
  if (isActivation(spec)) return spec;
  return lookup(fn, spec);
}

function lookup(fn: string, spec: ActivationSpec): Activation {
  try {
    return activation(spec);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(
      `${fn}: spec must be an activation name, spec or Activation, got ${formatValue(spec)} (${e.message})`,
      fn,
      'spec',
    );
  }
}

/** Operations that {@link Value} (reverse mode) and {@link Dual} (forward mode) both provide. */
export interface DiffScalar<T> {
  /** this + b */
  add(b: T | number): T;
  /** this − b */
  sub(b: T | number): T;
  /** this · b */
  mul(b: T | number): T;
  /** this / b */
  div(b: T | number): T;
  /** thisᵇ (NaN for a negative base and non-integer exponent, like `**`). */
  pow(b: T | number): T;
  /** −this */
  neg(): T;
  /** e^this */
  exp(): T;
  /** ln this (NaN for negative values, −∞ at 0, like `Math.log`). */
  log(): T;
  /** this · this */
  square(): T;
  /** An elementwise activation of this, e.g. `x.activate('tanh')`. */
  activate(spec: ActivationSpec | Activation): T;
}
