import { describe, expect, it } from 'vitest';
import { firstToLast, vanishingLesson } from '../lessons/vanishing.js';
import { vanishingReadout } from './5-vanishing.js';

describe('chapter 5 readout', () => {
  it('states the ordering and the zero count the bars show, at every depth the slider allows', () => {
    for (const seed of [0, 1, 2]) {
      for (let n = 2; n <= 40; n++) {
        const l = vanishingLesson(n, seed);
        const [chain, relu, net] = vanishingReadout(l);
        const word = l.leaky[0]! < l.sigmoid[0]! ? 'smaller' : 'larger';
        expect(chain, `N = ${n}, key ${seed}`).toContain(`is ${word} than the sigmoid chain`);
        const zeros = l.relu.zeroCounts.filter((c) => c === l.relu.points).length;
        expect(relu).toContain(`${zeros} of ${n} layers get a gradient of exactly 0`);
        // the network sentence says nothing vanishes: that must hold (smallest/largest > 1e-3)
        expect(Math.min(...l.network.layers) / Math.max(...l.network.layers)).toBeGreaterThan(1e-3);
        expect(net).toContain('nothing vanishes');
        expect(firstToLast(l.sigmoid)).toBeGreaterThan(0);
      }
    }
  });

  it('at the default (key 0, N = 12): both chains vanish (first/last < 1e-6), ReLU is exactly 0', () => {
    const l = vanishingLesson(12, 0);
    const [chain, relu] = vanishingReadout(l);
    expect(firstToLast(l.sigmoid)).toBeLessThan(1e-6);
    expect(firstToLast(l.leaky)).toBeLessThan(1e-6);
    expect(chain).toContain('is smaller than the sigmoid chain');
    expect(relu).toMatch(/^Plain ReLU: (1[0-2]|[1-9]) of 12 layers get a gradient of exactly 0/);
  });
});
