/**
 * The AD blog's warning about a naive recursive backward pass: on a graph whose nodes are shared
 * (y₁ = x + x, y₂ = y₁ + y₁, …), recursing into every parent visits every *path*, 2^(n+1) − 1 visits
 * for n levels, while the topological pass visits each of the n + 1 nodes once. Both give the same
 * gradient, 2ⁿ.
 */
import { backward, Value } from '@annlab/core';

/** The shared-subexpression graph: x, then `levels` times y ← y + y. */
export function doublingGraph(levels: number, x = 1): { x: Value; y: Value } {
  if (!Number.isInteger(levels) || levels < 0 || levels > 60) {
    throw new RangeError(`doublingGraph: levels must be an integer in [0, 60], got ${levels}`);
  }
  const xv = new Value(x);
  let y = xv;
  for (let i = 0; i < levels; i++) y = y.add(y);
  return { x: xv, y };
}

/**
 * The naive recursive backward pass: each node passes its gradient to each parent by recursion,
 * so a node reached by k paths is visited k times. Supports the graph's `add` and `mul` nodes.
 *
 * @example
 * ```ts
 * const { x, y } = doublingGraph(10);
 * naiveBackward(y, x); // { grad: 1024, visits: 2047 }
 * ```
 */
export function naiveBackward(output: Value, wrt: Value): { grad: number; visits: number } {
  let visits = 0;
  let grad = 0;
  const visit = (node: Value, g: number): void => {
    visits++;
    if (node === wrt) grad += g;
    const [a, b] = node.parents;
    if (node.op === 'add') {
      visit(a!, g);
      visit(b!, g);
    } else if (node.op === 'mul') {
      visit(a!, g * b!.data);
      visit(b!, g * a!.data);
    } else if (node.op !== 'leaf') {
      throw new Error(`naiveBackward: op '${node.op}' is not supported (only add and mul)`);
    }
  };
  visit(output, 1);
  return { grad, visits };
}

/**
 * The topological pass (core's `backward`): each node once.
 *
 * @example
 * ```ts
 * const { x, y } = doublingGraph(10);
 * topologicalBackward(y, x); // { grad: 1024, visits: 11 }
 * ```
 */
export function topologicalBackward(output: Value, wrt: Value): { grad: number; visits: number } {
  const seen = new Set<Value>();
  const stack = [output];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...n.parents);
  }
  return { grad: backward(output)(wrt), visits: seen.size };
}
