/**
 * Reverse-mode automatic differentiation on scalars: every operation on {@link Value}s records a
 * node of an immutable graph, and {@link backward} returns the adjoints of all nodes at once.
 */
import type { Activation, ActivationSpec } from '../activations/registry.js';
import { formatValue, invalidArgument } from '../errors.js';
import {
  type AnyBinaryPrimal,
  type AnyBinaryVjp,
  type AnyUnaryPrimal,
  type AnyUnaryVjp,
  type BinaryPrim,
  type DiffScalar,
  type Prim,
  primalRules,
  resolveActivation,
  type UnaryPrim,
  vjpRules,
} from './rules.js';

const NO_PARENTS: readonly Value[] = Object.freeze([]);

/** Number of `backward` passes so far; each stamps the nodes it visits with its own number. */
let passCount = 0;
let passOf: (v: Value) => number;
let slotOf: (v: Value) => number;
/**
 * The nodes `output` depends on, parents before children (iterative post-order depth-first search),
 * with the order positions of each node's (up to two) parents. Calls no user code, so passes
 * cannot interleave.
 */
let topologicalOrder: (output: Value) => {
  order: Value[];
  parentSlots: Int32Array;
  pass: number;
};

/**
 * A scalar in a reverse-mode autodiff graph: its value `data`, the primitive `op` that made it
 * (`'leaf'` for inputs and constants) and the `parents` it was computed from. Values are immutable
 * (but for a private stamp that {@link backward}'s walk uses to mark visited nodes) and carry no
 * gradient: {@link backward} returns the adjoints in a fresh lookup, so differentiating twice gives
 * the same answer.
 *
 * Numbers passed to the operations are wrapped as constants automatically. Results follow IEEE
 * arithmetic: `log` of a negative value is NaN and division by zero gives ±∞, like `Math.log` and `/`.
 *
 * @example
 * ```ts
 * const x = new Value(3);
 * const y = x.mul(x).add(1); // x² + 1
 * y.data; // 10
 * backward(y)(x); // 6
 * ```
 */
export class Value implements DiffScalar<Value> {
  /** The value. */
  readonly data: number;
  /** The primitive that computed it, or `'leaf'` for inputs and constants. */
  readonly op: Prim | 'leaf';
  /** The operands (none for a leaf). */
  readonly parents: readonly Value[];
  /** The activation of an `'act'` node; undefined otherwise. */
  readonly activation: Activation | undefined;
  // Bookkeeping of the graph walk in `backward`, not adjoints: the number of the last pass that
  // visited this node and its position in that pass's order (saves a hash lookup per edge).
  #pass = 0;
  #slot = 0;

  static {
    passOf = (v) => v.#pass;
    slotOf = (v) => v.#slot;
    topologicalOrder = (output) => {
      const pass = ++passCount;
      const order: Value[] = [];
      const parentSlots: number[] = [];
      const stack: Value[] = [output];
      const next: number[] = [0];
      output.#pass = pass;
      while (stack.length > 0) {
        const top = stack.length - 1;
        const node = stack[top]!;
        const i = next[top]!;
        const ps = node.parents;
        if (i < ps.length) {
          next[top] = i + 1;
          const p = ps[i]!;
          if (p.#pass !== pass) {
            p.#pass = pass;
            stack.push(p);
            next.push(0);
          }
        } else {
          stack.pop();
          next.pop();
          node.#slot = order.length;
          order.push(node);
          // every parent has finished, so its slot is final
          parentSlots.push(ps.length > 0 ? ps[0]!.#slot : -1, ps.length > 1 ? ps[1]!.#slot : -1);
        }
      }
      return { order, parentSlots: Int32Array.from(parentSlots), pass };
    };
  }

  /** A leaf (an input or a constant) holding the finite number `data`. */
  constructor(data: number);
  constructor(data: number, op?: Prim, parents?: readonly Value[], act?: Activation) {
    if (op === undefined) {
      if (typeof data !== 'number' || !Number.isFinite(data)) {
        throw invalidArgument('Value', 'data', data, 'a finite number');
      }
      this.data = data;
      this.op = 'leaf';
      this.parents = NO_PARENTS;
      this.activation = undefined;
    } else {
      this.data = data;
      this.op = op;
      this.parents = parents!;
      this.activation = act;
    }
  }

  /** this + b */
  add(b: Value | number): Value {
    return binary('add', 'add', this, b);
  }
  /** this − b */
  sub(b: Value | number): Value {
    return binary('sub', 'sub', this, b);
  }
  /** this · b */
  mul(b: Value | number): Value {
    return binary('mul', 'mul', this, b);
  }
  /** this / b (±∞ or NaN for b = 0, like `/`) */
  div(b: Value | number): Value {
    return binary('div', 'div', this, b);
  }
  /** thisᵇ (see {@link pow} for the derivative conventions) */
  pow(b: Value | number): Value {
    return binary('pow', 'pow', this, b);
  }
  /** −this */
  neg(): Value {
    return unary('neg', this, undefined);
  }
  /** e^this */
  exp(): Value {
    return unary('exp', this, undefined);
  }
  /** ln this (NaN for negative values, like `Math.log`) */
  log(): Value {
    return unary('log', this, undefined);
  }
  /** this · this */
  square(): Value {
    return binary('mul', 'square', this, this);
  }
  /** An elementwise activation, e.g. `x.activate('tanh')`. */
  activate(spec: ActivationSpec | Activation): Value {
    return unary('act', this, resolveActivation('activate', spec));
  }

  /** `Value(6, mul)`, for debugging. */
  toString(): string {
    return `Value(${formatValue(this.data)}, ${this.op})`;
  }
}

/** The internal constructor that records a node (the public one makes leaves only). */
const Node = Value as unknown as new (
  data: number,
  op: Prim,
  parents: readonly Value[],
  act: Activation | undefined,
) => Value;

/** A Value as is, or a finite number as a constant leaf. */
function lift(fn: string, arg: string, v: unknown): Value {
  if (v instanceof Value) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return new Value(v);
  throw invalidArgument(fn, arg, v, 'a Value or a finite number');
}

function binary(p: BinaryPrim, fn: string, a: unknown, b: unknown): Value {
  const x = lift(fn, 'a', a);
  const y = lift(fn, 'b', b);
  const data = (primalRules[p] as AnyBinaryPrimal)(x.data, y.data);
  return new Node(data, p, [x, y], undefined);
}

function unary(p: UnaryPrim, x: Value, act: Activation | undefined): Value {
  return new Node((primalRules[p] as AnyUnaryPrimal)(x.data, act), p, [x], act);
}

/** a + b; numbers are wrapped as constants (`add(x, 1)`). */
export function add(a: Value | number, b: Value | number): Value {
  return binary('add', 'add', a, b);
}

/** a − b. */
export function sub(a: Value | number, b: Value | number): Value {
  return binary('sub', 'sub', a, b);
}

/** a · b. */
export function mul(a: Value | number, b: Value | number): Value {
  return binary('mul', 'mul', a, b);
}

/** a / b (±∞ or NaN for b = 0, like `/`). */
export function div(a: Value | number, b: Value | number): Value {
  return binary('div', 'div', a, b);
}

/**
 * aᵇ, differentiable in both a and b: d(aᵇ) = b·aᵇ⁻¹ da + aᵇ·ln a db. The derivative in b is NaN for
 * a < 0 (aᵇ is then only defined for integer b); the one in a is taken as 0 when b = 0.
 */
export function pow(a: Value | number, b: Value | number): Value {
  return binary('pow', 'pow', a, b);
}

/** −x. */
export function neg(x: Value | number): Value {
  return unary('neg', lift('neg', 'x', x), undefined);
}

/** eˣ. */
export function exp(x: Value | number): Value {
  return unary('exp', lift('exp', 'x', x), undefined);
}

/** ln x: NaN for x < 0 and −∞ at 0, like `Math.log`; the derivative is 1/x. */
export function log(x: Value | number): Value {
  return unary('log', lift('log', 'x', x), undefined);
}

/** x² (as x · x). */
export function square(x: Value | number): Value {
  const v = lift('square', 'x', x);
  return binary('mul', 'square', v, v);
}

/**
 * An elementwise activation f(x), using `activation(spec).f` and `.df` from the activations module.
 * Takes a spec (`'tanh'`, `{ name: 'leakyRelu', slope: 0.2 }`) or an {@link Activation}.
 *
 * @example
 * ```ts
 * activate(new Value(0), 'sigmoid').data; // 0.5
 * ```
 */
export function activate(x: Value | number, spec: ActivationSpec | Activation): Value {
  return unary('act', lift('activate', 'x', x), resolveActivation('activate', spec));
}

/** Σ values, left to right (0 for an empty array). */
export function sum(values: readonly (Value | number)[]): Value {
  if (!Array.isArray(values)) {
    throw invalidArgument('sum', 'values', values, 'an array of Values or finite numbers');
  }
  if (values.length === 0) return new Value(0);
  let s = lift('sum', 'values[0]', values[0]);
  for (let i = 1; i < values.length; i++) {
    const v = lift('sum', `values[${i}]`, values[i]);
    s = new Node(s.data + v.data, 'add', [s, v], undefined);
  }
  return s;
}

/** The adjoints ∂output/∂v of one {@link backward} pass; 0 for values the output does not use. */
export type Gradients = (v: Value) => number;

/**
 * Reverse-mode differentiation of `output` with respect to every value it depends on.
 *
 * Steps:
 * 1. Order the graph topologically by an iterative depth-first search (post-order), so graphs
 *    10⁵ nodes deep need no recursion; each node is visited once however many paths reach it.
 * 2. Seed the output's adjoint with `seed` (1: the gradient; any other: a vector–Jacobian product).
 * 3. Walk the order backwards once; each node adds its adjoint times the local derivative
 *    (`vjpRules`) into its parents' adjoints. Cost: linear in the number of nodes and edges.
 * 4. Return a lookup over a fresh adjoint array. No adjoint is stored on the nodes (they keep only
 *    the number of the last pass that visited them, for the walk), so passes are independent.
 *
 * @example
 * ```ts
 * const w = new Value(0);
 * const f = activate(w.mul(1).add(0), 'sigmoid');
 * backward(f)(w); // 0.25
 * ```
 */
export function backward(output: Value, seed = 1): Gradients {
  if (!(output instanceof Value)) throw invalidArgument('backward', 'output', output, 'a Value');
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw invalidArgument('backward', 'seed', seed, 'a finite number');
  }
  // 1.
  const { order, parentSlots, pass } = topologicalOrder(output);
  // 2–3. one reverse sweep
  const n = order.length;
  const adj = new Float64Array(n);
  adj[n - 1] = seed;
  for (let k = n - 1; k >= 0; k--) {
    const node = order[k]!;
    const ps = node.parents;
    if (ps.length === 0) continue;
    const g = adj[k]!;
    if (ps.length === 1) {
      const rule = vjpRules[node.op as UnaryPrim] as AnyUnaryVjp;
      adj[parentSlots[2 * k]!]! += rule(g, ps[0]!.data, node.data, node.activation);
    } else {
      const rule = vjpRules[node.op as BinaryPrim] as AnyBinaryVjp;
      const [da, db] = rule(g, ps[0]!.data, ps[1]!.data, node.data);
      adj[parentSlots[2 * k]!]! += da;
      adj[parentSlots[2 * k + 1]!]! += db;
    }
  }
  // 4. a node stamped with this pass has its slot; one stamped earlier is not in the graph; one
  // restamped by a later pass is looked up in a map built once from this pass's order
  let later: Map<Value, number> | undefined;
  return (v: Value): number => {
    if (!(v instanceof Value)) throw invalidArgument('gradients', 'v', v, 'a Value');
    const p = passOf(v);
    if (p === pass) return adj[slotOf(v)]!;
    if (p < pass) return 0;
    later ??= new Map(order.map((node, i) => [node, i]));
    const i = later.get(v);
    return i === undefined ? 0 : adj[i]!;
  };
}
