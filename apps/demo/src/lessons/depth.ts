/**
 * The lecture's "How deep?": for a linear target, one neuron with the identity activation is
 * already exact (w = −3, b = 2 gives −3x + 2), and stacking more identity layers adds nothing: the
 * composition is still a line, w₃w₂w₁·x + const.
 */
import { chainParams, initChain, key } from '@annlab/core';
import { fit, predict, sgd } from '@annlab/train';

/** The 200 points of Example 1, x in [0.5, 3], y = −3x + 2. */
function exampleData(): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: 200 }, (_, i) => (i === 199 ? 3 : 0.5 + (2.5 * i) / 199));
  return { x, y: x.map((v) => -3 * v + 2) };
}

/** One depth's result: final ½·mean squared error, and the end-to-end slope and intercept. */
export interface DepthResult {
  readonly depth: number;
  readonly loss: number;
  readonly slope: number;
  readonly intercept: number;
}

/**
 * Trains identity chains of depth 1 … `maxDepth` on −3x + 2 (per-sample SGD, step 0.01, key 0)
 * and reports each one's loss and the line it computes.
 *
 * @example
 * ```ts
 * howDeep(3, 300)[0]; // depth 1: slope ≈ −3, intercept ≈ 2, loss ≈ 0
 * ```
 */
export function howDeep(maxDepth: number, epochs: number): DepthResult[] {
  const data = exampleData();
  const out: DepthResult[] = [];
  for (let depth = 1; depth <= maxDepth; depth++) {
    const init = initChain(key(0), depth);
    const r = fit(
      {
        kind: 'chain',
        params: chainParams(init.w, init.b),
        activations: new Array(depth).fill('identity'),
      },
      data,
      { epochs, optimizer: sgd(0.01), batch: 'sgd', key: 0 },
    );
    const [p0, p1] = predict(r.model, Float64Array.of(0, 1));
    out.push({ depth, loss: r.history.loss.at(-1)!, slope: p1! - p0!, intercept: p0! });
  }
  return out;
}
