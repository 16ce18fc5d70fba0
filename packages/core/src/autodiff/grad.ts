/**
 * Functional reverse mode: transform a function of {@link Value}s into one that returns gradients.
 */
import { assertAllFinite, formatValue, invalidArgument, ValidationError } from '../errors.js';
import { backward, Value } from './value.js';

function assertFunction(fn: string, f: unknown): void {
  if (typeof f !== 'function') throw invalidArgument(fn, 'f', f, 'a function');
}

function inputs(fn: string, args: readonly unknown[]): Value[] {
  const xs = new Array<Value>(args.length);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'number' || !Number.isFinite(a)) {
      throw invalidArgument(fn, `args[${i}]`, a, 'a finite number');
    }
    xs[i] = new Value(a);
  }
  return xs;
}

function checkOutput(fn: string, out: unknown): Value {
  if (!(out instanceof Value)) {
    throw new ValidationError(`${fn}: f must return a Value, got ${formatValue(out)}`, fn, 'f');
  }
  return out;
}

/**
 * The gradient of a scalar function of scalars: `grad(f)(...x)` returns [∂f/∂x₀, ∂f/∂x₁, …]
 * (0 for inputs f does not use). Each call builds a fresh graph; nothing accumulates between calls.
 *
 * @example
 * ```ts
 * const df = grad((x, w, b) => activate(w.mul(x).add(b), 'sigmoid'));
 * df(1, 0, 0); // [0, 0.25, 0.25]
 * ```
 */
export function grad(f: (...args: Value[]) => Value): (...args: number[]) => number[] {
  assertFunction('grad', f);
  return (...args: number[]) => {
    const xs = inputs('grad', args);
    const g = backward(checkOutput('grad', f(...xs)));
    return xs.map(g);
  };
}

/**
 * Like {@link grad}, also returning f's value.
 *
 * @example
 * ```ts
 * valueAndGrad((x, y) => x.mul(y))(3, 4); // { value: 12, grad: [4, 3] }
 * ```
 */
export function valueAndGrad(f: (...args: Value[]) => Value): (...args: number[]) => {
  /** f at the arguments. */
  value: number;
  /** ∂f/∂argᵢ for each argument. */
  grad: number[];
} {
  assertFunction('valueAndGrad', f);
  return (...args: number[]) => {
    const xs = inputs('valueAndGrad', args);
    const out = checkOutput('valueAndGrad', f(...xs));
    const g = backward(out);
    return { value: out.data, grad: xs.map(g) };
  };
}

/**
 * Value and gradient of a scalar function of a vector, for parameter vectors of networks.
 *
 * @example
 * ```ts
 * const loss = valueAndGradVector((w) => sum(w.map((wi) => wi.square())));
 * loss(new Float64Array([1, 2])); // { value: 5, grad: Float64Array [2, 4] }
 * ```
 */
export function valueAndGradVector(f: (xs: Value[]) => Value): (x: ArrayLike<number>) => {
  /** f at x. */
  value: number;
  /** ∂f/∂xᵢ. */
  grad: Float64Array;
} {
  assertFunction('valueAndGradVector', f);
  return (x: ArrayLike<number>) => {
    if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
      throw invalidArgument('valueAndGradVector', 'x', x, 'an array of finite numbers');
    }
    assertAllFinite('valueAndGradVector', 'x', x);
    const xs = new Array<Value>(x.length);
    for (let i = 0; i < x.length; i++) xs[i] = new Value(x[i]!);
    const out = checkOutput('valueAndGradVector', f(xs));
    const g = backward(out);
    const gradient = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) gradient[i] = g(xs[i]!);
    return { value: out.data, grad: gradient };
  };
}

/**
 * The Jacobian by reverse mode, one backward pass per output: `jacrev(f)(...x)[i][j]` = ∂fᵢ/∂xⱼ
 * (rows = outputs; one row when f returns a single Value). Prefer it to {@link jacfwd} when there
 * are fewer outputs than inputs.
 *
 * @example
 * ```ts
 * jacrev((x, y) => [x.mul(y), x.add(y)])(2, 3); // [[3, 2], [1, 1]]
 * ```
 */
export function jacrev(
  f: (...args: Value[]) => Value | readonly Value[],
): (...args: number[]) => number[][] {
  assertFunction('jacrev', f);
  return (...args: number[]) => {
    const xs = inputs('jacrev', args);
    const out = f(...xs);
    const outs = Array.isArray(out) ? (out as readonly unknown[]) : [out];
    return outs.map((o, i) => {
      if (!(o instanceof Value)) {
        throw new ValidationError(
          `jacrev: f must return a Value or an array of Values, got ${formatValue(o)}${Array.isArray(out) ? ` at index ${i}` : ''}`,
          'jacrev',
          'f',
        );
      }
      return xs.map(backward(o));
    });
  };
}
