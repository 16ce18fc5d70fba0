/**
 * The `'autodiff'` method of chainGradient: the loss traced with reverse-mode {@link Value}s.
 */
import type { Activation } from '../../activations/index.js';
import { type Value, valueAndGradVector } from '../../autodiff/index.js';

/**
 * Writes ∂loss/∂params into `grad` by reverse mode; returns the loss and ŷ.
 *
 * Steps: 1. wrap the 2N parameters as leaves; 2. trace v ← h_i(w_i·v + b_i) from v = x, then
 * ½(v − y)²; 3. one backward pass (`valueAndGradVector`).
 */
export function chainAutodiffGradient(
  p: Float64Array,
  depth: number,
  x: number,
  y: number,
  acts: ReadonlyArray<Activation>,
  grad: Float64Array,
): { loss: number; output: number } {
  let output = Number.NaN;
  const f = valueAndGradVector((ps: Value[]) => {
    let v = ps[0]!.mul(x).add(ps[depth]!).activate(acts[0]!);
    for (let i = 1; i < depth; i++)
      v = ps[i]!.mul(v)
        .add(ps[depth + i]!)
        .activate(acts[i]!);
    output = v.data;
    return v.sub(y).square().mul(0.5);
  });
  const r = f(p);
  grad.set(r.grad);
  return { loss: r.value, output };
}
