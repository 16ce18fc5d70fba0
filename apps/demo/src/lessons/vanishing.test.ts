import { chainGradient, initChain, key } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import {
  firstDeadLayer,
  firstToLast,
  layerGradients,
  leakyNetworkGradients,
  reluChainZeros,
  VANISHING_X,
  vanishingLesson,
} from './vanishing.js';

describe('chapter 5 lesson', () => {
  it('layerGradients equals the mean |dw| of chainGradient over the points', () => {
    const p = initChain(key(0), 4);
    const acts = ['sigmoid', 'sigmoid', 'sigmoid', 'identity'] as const;
    let first = 0;
    for (const x of VANISHING_X) {
      first += Math.abs(chainGradient(p, x, -3 * x + 2, { activations: [...acts] }).dw[0]!);
    }
    // the same sum in the same order: equal to rounding
    expect(layerGradients(4, 'sigmoid', 0)[0]).toBeAllclose(first / 50, { rtol: 1e-14, atol: 0 });
    expect(() => layerGradients(1, 'sigmoid', 0)).toThrow('layerGradients: depth must be');
  });

  it('plain ReLU: once a unit input is negative, every earlier weight gradient is exactly 0', () => {
    let deadSeen = 0;
    for (const seed of [0, 1, 2, 3, 4]) {
      for (const depth of [2, 3, 5, 8, 12, 20, 40]) {
        const acts = [...new Array(depth - 1).fill('relu'), 'identity'] as const;
        const p = initChain(key(seed), depth);
        for (const x of VANISHING_X.filter((_, i) => i % 7 === 0)) {
          const dead = firstDeadLayer(depth, seed, x);
          const g = chainGradient(p, x, -3 * x + 2, { activations: [...acts] });
          for (let i = 0; i <= dead; i++) expect(Math.abs(g.dw[i]!)).toBe(0);
          if (dead >= 0) deadSeen++;
        }
      }
    }
    expect(deadSeen).toBeGreaterThan(0);
    // at the chapter's default (key 0, N = 12) the first layer's gradient is 0 at every point
    const z = reluChainZeros(12, 0);
    expect(z.zeroCounts[0]).toBe(50);
    expect(z.deadPoints).toBe(50);
  });

  it('leaky ReLU on the chain still vanishes at the default: first/last < 1e-6, like sigmoid', () => {
    const l = vanishingLesson(12, 0);
    expect(firstToLast(l.sigmoid)).toBeLessThan(1e-6);
    expect(firstToLast(l.leaky)).toBeLessThan(1e-6);
    // never an exact zero with leaky ReLU
    for (const d of [2, 12, 40])
      for (const v of layerGradients(d, 'leakyRelu', 0)) expect(v).toBeGreaterThan(0);
  });

  it('the 2×3 leaky-ReLU network: messy but non-vanishing gradients for keys 0..19', () => {
    for (let seed = 0; seed < 20; seed++) {
      const { layers, weights } = leakyNetworkGradients(seed);
      expect(layers).toHaveLength(3);
      expect(weights.map((w) => w.length)).toEqual([3, 9, 3]);
      const ratio = Math.min(...layers) / Math.max(...layers);
      // no layer is orders of magnitude below another (the chain's ratios are < 1e-6 at N = 12)
      expect(ratio, `key ${seed}`).toBeGreaterThan(1e-3);
    }
  });
});
