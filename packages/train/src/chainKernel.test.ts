import { activation, initChain, key } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { activationCodes, isSigmoidChain, sgdChainEpoch, sgdChainRun } from './chainKernel.js';

const n = 200;
const X = Float64Array.from({ length: n }, (_, i) => 0.5 + (2.5 * i) / (n - 1));
const Y = X.map((v) => -3 * v + 2);
const order = Int32Array.from({ length: n }, (_, i) => (i * 37) % n); // 37 is coprime to 200

/** Runs both kernels over one epoch from the same parameters; returns their params and sums. */
function both(names: readonly string[], lr: number, seed = 0) {
  const depth = names.length;
  const acts = names.map((s) => activation(s as Parameters<typeof activation>[0]));
  const codes = activationCodes(acts);
  const p0 = initChain(key(seed), depth).data;
  const run = (checked: boolean) => {
    const p = p0.slice();
    const failed = new Int32Array(1).fill(-1);
    const [xs, ds] = [new Float64Array(depth), new Float64Array(depth)];
    const sum = checked
      ? sgdChainEpoch(p, depth, codes, acts, X, Y, xs, ds, order, 0, n, lr, 0, failed)
      : sgdChainRun(p, depth, codes, isSigmoidChain(codes), acts, X, Y, xs, ds, order, 0, n, lr, 0);
    return { p, sum, failed: failed[0]! };
  };
  return { fast: run(false), checked: run(true), sigmoidChain: isSigmoidChain(codes) };
}

describe('chain SGD kernels', () => {
  it('recognises the lecture chain (sigmoid hidden, identity output) only', () => {
    const is = (names: string[]) =>
      isSigmoidChain(activationCodes(names.map((s) => activation(s as 'relu'))));
    expect(is(['identity'])).toBe(true);
    expect(is(['sigmoid', 'sigmoid', 'identity'])).toBe(true);
    expect(is(['sigmoid', 'tanh', 'identity'])).toBe(false);
    expect(is(['sigmoid', 'sigmoid'])).toBe(false);
  });

  it('the unchecked kernel equals the checking one bit for bit on finite runs', () => {
    for (const names of [
      ['identity'],
      ['sigmoid', 'identity'],
      ['sigmoid', 'sigmoid', 'identity'],
      ['tanh', 'relu', 'identity'],
      ['gelu', 'softplus', 'sigmoid'],
    ]) {
      const { fast, checked } = both(names, 0.01);
      expect(checked.failed).toBe(-1); // the run is finite: a real comparison
      expect(fast.sum).toBe(checked.sum); // exact: same operations in the same order
      expect(Array.from(fast.p)).toEqual(Array.from(checked.p));
    }
  });

  it('where the checking kernel stops, the unchecked one leaves the sum or a parameter non-finite', () => {
    for (const names of [['identity'], ['sigmoid', 'sigmoid', 'identity'], ['relu', 'identity']]) {
      const { fast, checked } = both(names, 50);
      expect(checked.sum).toBeNaN();
      expect(checked.failed).toBeGreaterThanOrEqual(0);
      const finite = Number.isFinite(fast.sum) && fast.p.every(Number.isFinite);
      expect(finite).toBe(false);
    }
  });
});
