import { describe, expect, it } from 'vitest';
import { doublingGraph, naiveBackward, topologicalBackward } from './autodiff.js';
import { howDeep } from './depth.js';
import { firstTrainingLoop, neuronSettings, orNeuron, trainOr } from './neuron.js';
import { bisectionSteps, fixedPointDiagnostics } from './numerics.js';

describe('chapter 1: the notes OR neuron and the blog first loop', () => {
  it('notes settings: b = 0, N(0, 1) weights, lr 0.1, 1000 epochs; chunks equal one run', () => {
    const m = orNeuron('notes', 'sigmoid', 0);
    expect(m.params[2]).toBe(0);
    expect(neuronSettings('notes', 'sigmoid')).toEqual({ learningRate: 0.1, epochs: 1000 });
    const one = trainOr(m, 0.1, 1000);
    let chunked = m;
    const loss: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = trainOr(chunked, 0.1, 100);
      chunked = r.model;
      loss.push(...r.loss);
    }
    // plain GD has no state: the same float64 operations in the same order
    expect(loss).toBeAllclose(one.loss, { rtol: 1e-15, atol: 0 });
    expect(one.loss.at(-1)!).toBeLessThan(0.5 * one.loss[0]!);
  });

  it('the blog loop pushes the output toward Y = 1 over 1000 steps', () => {
    const r = firstTrainingLoop(0);
    expect(r.loss).toHaveLength(1000);
    expect(r.after).toBeGreaterThan(r.before);
    expect(r.after).toBeGreaterThan(0.9);
    // the loss is (ŷ − 1)² at every step, so it is decreasing for this convex-in-ŷ loop
    expect(r.loss.at(-1)!).toBeLessThan(r.loss[0]!);
  });
});

describe('chapter 2: naive recursive backward pass', () => {
  it('visits 2^(n+1) − 1 nodes against n + 1, with the same gradient 2^n', () => {
    for (const n of [0, 1, 5, 12]) {
      const { x, y } = doublingGraph(n);
      const naive = naiveBackward(y, x);
      const topo = topologicalBackward(y, x);
      expect(naive.visits).toBe(2 ** (n + 1) - 1);
      expect(topo.visits).toBe(n + 1);
      expect(naive.grad).toBe(2 ** n);
      expect(topo.grad).toBe(2 ** n);
    }
    expect(() => doublingGraph(-1)).toThrow('doublingGraph: levels must be an integer');
  });
});

describe('chapter 3: How deep?', () => {
  it('one identity layer fits −3x + 2; deeper identity chains still compute a line', () => {
    const r = howDeep(3, 200);
    expect(r[0]!.slope).toBeAllclose(-3, { rtol: 0, atol: 1e-3 });
    expect(r[0]!.intercept).toBeAllclose(2, { rtol: 0, atol: 1e-3 });
    expect(r[0]!.loss).toBeLessThan(1e-6);
    // depth adds nothing: no deeper chain gets below the single layer's loss by more than rounding
    for (const d of r.slice(1)) {
      expect(d.loss).toBeGreaterThanOrEqual(r[0]!.loss - 1e-9);
      // still a decreasing line: the same family of functions as one layer
      expect(d.slope).toBeLessThan(0);
    }
  });
});

describe('chapter 8: bisection and fixed points', () => {
  const f = (x: number) => x ** 3 - 2 * x - 5;
  it('bisectionSteps on the notes x³ − 2x − 5 over [1, 3] halves toward 2.0945514815…', () => {
    const s = bisectionSteps(f, 1, 3, 40);
    expect(s.slice(0, 3).map((k) => k.m)).toEqual([2, 2.5, 2.25]);
    for (let k = 1; k < s.length; k++) {
      expect(s[k]!.b - s[k]!.a).toBe((s[k - 1]!.b - s[k - 1]!.a) / 2);
      expect(Math.sign(f(s[k]!.a))).not.toBe(Math.sign(f(s[k]!.b)));
    }
    // the real root of x³ − 2x − 5 (Newton's classic example), to 40 halvings of width 2
    expect(s.at(-1)!.m).toBeAllclose(2.0945514815423265, { rtol: 0, atol: 4e-12 });
    expect(() => bisectionSteps(f, 3, 4, 5)).toThrow('bisectionSteps: f(a) and f(b) must be');
    expect(() => bisectionSteps(f, 1, 3, 0)).toThrow('bisectionSteps: steps must be an integer');
  });

  it('fixed point of e^(−x): x* = W(1) = 0.5671432904…, rate ≈ |g′(x*)| = x*', () => {
    const d = fixedPointDiagnostics((x) => Math.exp(-x), 1);
    expect(d.converged).toBe(true);
    expect(d.x).toBeAllclose(0.5671432904097838, { rtol: 0, atol: 1e-9 });
    expect(d.slope).toBeAllclose(d.x, { rtol: 1e-6, atol: 0 });
    expect(d.rate).toBeAllclose(d.slope, { rtol: 1e-2, atol: 0 });
    expect(d.residual).toBeLessThan(1e-9);
  });

  it('the notes rewrite x = (x³ + 2x² + 5)/9 converges to the root where |g′| < 1', () => {
    const g = (x: number) => (x ** 3 + 2 * x ** 2 + 5) / 9;
    const d = fixedPointDiagnostics(g, 1);
    expect(d.converged).toBe(true);
    expect(d.slope).toBeLessThan(1);
    // a root of x³ + 2x² − 9x + 5
    expect(d.x ** 3 + 2 * d.x ** 2 - 9 * d.x + 5).toBeAllclose(0, { rtol: 0, atol: 1e-8 });
    // from x₀ = 2 (beyond the repelling root near 1.65) it does not converge, and says so
    const far = fixedPointDiagnostics(g, 2);
    expect(far.converged).toBe(false);
  });
});
