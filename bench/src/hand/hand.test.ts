import * as core from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { annlabSpec, fromAnnlabMlpParams, toAnnlabMlpParams } from '../annlab.js';
import { type ChainProblem, type MlpProblem, w1Problem, w3Problem } from '../data.js';
import { chainLoss, handChainTrainer } from './chain.js';
import { handMlpTrainer, handMlpValueAndGrad, mlpLoss } from './mlp.js';

/** Central-difference gradient of f at x. */
function numericGrad(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    x[i] = v + h;
    const fp = f(x);
    x[i] = v - h;
    const fm = f(x);
    x[i] = v;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

describe('hand-written chain SGD', () => {
  it('one per-sample step equals θ − η ∇½(ŷ − y)² (central differences)', () => {
    const base = w1Problem();
    const i = 17;
    const one: ChainProblem = {
      ...base,
      x: base.x.subarray(i, i + 1),
      y: base.y.subarray(i, i + 1),
      orders: [new Uint32Array([0])],
    };
    const t = handChainTrainer(one);
    t.reset();
    t.train(1);
    const [w, b] = t.params() as Float64Array[];
    const theta = new Float64Array([...base.init[0], ...base.init[1]]);
    const loss = (th: Float64Array): number =>
      chainLoss(one, th.subarray(0, 3), th.subarray(3)) /* mean over 1 sample */;
    const g = numericGrad(loss, theta);
    const expected = theta.map((v, k) => v - base.lr * g[k]!);
    expect(new Float64Array([...w!, ...b!])).toBeAllclose(expected, { rtol: 0, atol: 1e-10 });
  });

  it('follows the same trajectory as core chainGradient-based SGD', () => {
    const p = w1Problem();
    const t = handChainTrainer(p);
    t.reset();
    t.train(3);
    const [w, b] = t.params() as Float64Array[];
    const params = core.chainParams(p.init[0], p.init[1]);
    for (let e = 0; e < 3; e++) {
      for (const i of p.orders[e]!) {
        const { grad } = core.chainGradient(params, p.x[i]!, p.y[i]!);
        for (let k = 0; k < 6; k++) params.data[k] = params.data[k]! - p.lr * grad[k]!;
      }
    }
    expect(w).toBeAllclose(params.w, { rtol: 1e-12, atol: 1e-14 });
    expect(b).toBeAllclose(params.b, { rtol: 1e-12, atol: 1e-14 });
  });
});

/** A small MLP problem for gradient checks. */
function tiny(hidden: MlpProblem['hidden'], loss: MlpProblem['loss']): MlpProblem {
  const r = seeded(11);
  const sizes = [2, 4, 3, 2];
  const rows = 5;
  const normals = (n: number, s = 1) => Float64Array.from({ length: n }, () => s * r.normal());
  return {
    sizes,
    hidden,
    output: hidden === 'relu' ? 'identity' : hidden,
    loss,
    optimizer: { kind: 'sgd', lr: 0.1 },
    rows,
    x: normals(rows * 2),
    y: normals(rows * 2),
    init: [normals(8), normals(4, 0.1), normals(12), normals(3, 0.1), normals(6), normals(2, 0.1)],
  };
}

describe('hand-written MLP', () => {
  for (const [hidden, loss] of [
    ['gelu', 'sse'],
    ['tanh', 'mse'],
    ['relu', 'mse'],
  ] as const) {
    it(`one full-batch SGD step is θ − η ∇loss (${hidden}, ${loss}; central differences)`, () => {
      const p = tiny(hidden, loss);
      const t = handMlpTrainer(p);
      t.reset();
      t.train(1);
      const after = (t.params() as Float64Array[]).flatMap((a) => [...a]);
      const theta = Float64Array.from(p.init.flatMap((a) => [...a]));
      const split = (th: Float64Array): Float64Array[] => {
        const out: Float64Array[] = [];
        let o = 0;
        for (const a of p.init) {
          out.push(th.subarray(o, o + a.length));
          o += a.length;
        }
        return out;
      };
      const g = numericGrad((th) => mlpLoss(p, split(th)), theta);
      const expected = theta.map((v, k) => v - 0.1 * g[k]!);
      expect(new Float64Array(after)).toBeAllclose(expected, { rtol: 0, atol: 1e-8 });
    });
  }

  it('agrees with core mlpValueAndGradient on the W3 network (rtol 1e-12)', () => {
    const p = w3Problem();
    const spec = annlabSpec(p);
    const flat = toAnnlabMlpParams(p);
    const grad = new Float64Array(flat.length);
    const ws = core.createMlpWorkspace(spec, p.rows);
    const annlab = core.mlpValueAndGradient(spec, flat, p.x, p.y, p.rows, 'sse', ws, grad);
    expect(handMlpValueAndGrad(p)()).toBeAllclose(annlab, { rtol: 1e-12, atol: 0 });
    expect(mlpLoss(p, p.init)).toBeAllclose(annlab, { rtol: 1e-12, atol: 0 });
  });

  it('maps parameters to annlab’s layout and back exactly', () => {
    const p = w3Problem();
    const back = fromAnnlabMlpParams(p, toAnnlabMlpParams(p));
    back.forEach((a, k) => {
      expect(a).toBeAllclose(p.init[k]!, { rtol: 0, atol: 0 });
    });
  });
});
