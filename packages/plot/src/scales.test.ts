import { describe, expect, it } from 'vitest';
import { bandScale, continuousScale, extentOf, mergeExtents, widenDomain } from './scales.js';

describe('continuousScale', () => {
  it('maps linearly onto the range (closed form) after nice rounding', () => {
    const s = continuousScale('linear', [0.53, 2.97], [100, 700]);
    expect(s.domain).toEqual([0.5, 3]);
    for (const v of [0.5, 1.1, 2.2, 3]) {
      expect(s.map(v)).toBeAllclose(100 + ((v - 0.5) / 2.5) * 600, { rtol: 1e-12, atol: 1e-12 });
    }
    expect(s.map(Number.NaN)).toBeNaN();
    expect(s.map(Number.POSITIVE_INFINITY)).toBeNaN();
  });

  it('labels negative ticks with U+2212', () => {
    const labels = continuousScale('linear', [-3, 3], [0, 1])
      .ticks(5)
      .map((t) => t.label);
    expect(labels).toContain('−2');
    expect(labels.join('')).not.toContain('-');
  });

  it('keeps a fixed domain when nice is false', () => {
    expect(continuousScale('linear', [0.53, 2.97], [0, 1], { nice: false }).domain).toEqual([
      0.53, 2.97,
    ]);
  });

  it('maps logarithmically and shows values ≤ 0 as NaN (a gap)', () => {
    const s = continuousScale('log', [1e-4, 1], [400, 0]);
    expect(s.map(1e-2)).toBeAllclose(200, { rtol: 1e-12, atol: 1e-9 });
    expect(s.map(0)).toBeNaN();
    expect(s.map(-1)).toBeNaN();
  });

  it('labels log ticks over several decades as powers of ten, minor ticks unlabelled', () => {
    const ticks = continuousScale('log', [1.3e-5, 2.1], [0, 1]).ticks(6);
    const labelled = ticks.filter((t) => t.label !== '').map((t) => t.label);
    expect(labelled).toContain('10⁻³');
    expect(labelled).toContain('10⁰');
    expect(labelled.every((l) => l.startsWith('10'))).toBe(true);
  });

  it('labels a short log span with plain numbers', () => {
    const labels = continuousScale('log', [2, 9], [0, 1])
      .ticks(5)
      .map((t) => t.label)
      .filter(Boolean);
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(labels).toContain('2');
  });

  it('writes very large linear ticks in scientific form', () => {
    const labels = continuousScale('linear', [0, 3e12], [0, 1])
      .ticks(3)
      .map((t) => t.label);
    expect(labels).toContain('1×10¹²');
  });

  it('survives domains whose span overflows a double', () => {
    const s = continuousScale('linear', [-1.7e308, 1.7e308], [0, 100]);
    expect(s.map(0)).toBeAllclose(50, { rtol: 1e-9, atol: 1e-9 });
    const ticks = s.ticks(5);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.every((t) => Number.isFinite(t.value) && Number.isFinite(t.position))).toBe(true);
  });

  it('widens a single-value domain around the value', () => {
    expect(widenDomain('linear', 2, 2)).toEqual([1.8, 2.2]);
    expect(widenDomain('linear', 0, 0)).toEqual([-1, 1]);
    expect(widenDomain('log', 1, 1)).toEqual([0.1, 10]);
  });
});

describe('extents', () => {
  it('skip non-finite values, and values ≤ 0 for a log scale', () => {
    const v = [Number.NaN, -2, 0, 3, Number.POSITIVE_INFINITY, 0.5];
    expect(extentOf(v, 'linear')).toEqual([-2, 3]);
    expect(extentOf(v, 'log')).toEqual([0.5, 3]);
    expect(extentOf([Number.NaN], 'linear')).toBeUndefined();
    expect(mergeExtents([undefined, [1, 2], [-1, 0]])).toEqual([-1, 2]);
  });
});

describe('bandScale', () => {
  it('splits the range into equal bands with padding', () => {
    const s = bandScale(['1', '2', '3'], [0, 310]);
    // step = 310 / (3 - 0.2 + 0.2) = 103.33…, band = 0.8 step, outer padding 0.1 step.
    expect(s.bandwidth).toBeAllclose(0.8 * (310 / 3), { rtol: 1e-12, atol: 0 });
    expect(s.start(0)).toBeAllclose(0.1 * (310 / 3), { rtol: 1e-12, atol: 0 });
    expect(s.ticks().map((t) => t.label)).toEqual(['1', '2', '3']);
  });
});
