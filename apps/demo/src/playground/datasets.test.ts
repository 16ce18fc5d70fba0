import { key } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { PLANE_SETS, planeGrid, planeSet, splitRows, takeRows } from './datasets.js';

/** Points of class c as [x₁, x₂] pairs. */
function pointsOf(set: ReturnType<typeof planeSet>, c: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < set.label.length; i++) {
    if (set.label[i] === c) out.push([set.x[2 * i]!, set.x[2 * i + 1]!]);
  }
  return out;
}

describe('planeSet', () => {
  it.each(PLANE_SETS)(
    '%s: n points, two balanced classes, inside [−6, 6]², same key same points',
    (name) => {
      const a = planeSet(name, key(3), 101, 0);
      const b = planeSet(name, key(3), 101, 0);
      const c = planeSet(name, key(4), 101, 0);
      expect(a.x.length).toBe(202);
      expect(a.label.length).toBe(101);
      expect(pointsOf(a, 0).length).toBe(50);
      expect(pointsOf(a, 1).length).toBe(51);
      expect(Array.from(a.x)).toEqual(Array.from(b.x));
      expect(Array.from(a.label)).toEqual(Array.from(b.label));
      if (name !== 'spiral') expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
      // gauss draws σ = 1 clusters at (±2, ±2): 6 is 4σ away, so allow the tails up to 2 + 6σ
      const bound = name === 'gauss' ? 8 : 6;
      for (const v of a.x) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    },
  );

  it('circle: class 0 within radius 2.5, class 1 between 3.5 and 5 (noise 0)', () => {
    const s = planeSet('circle', key(0), 400, 0);
    for (const [u, v] of pointsOf(s, 0)) expect(Math.hypot(u, v)).toBeLessThanOrEqual(2.5 + 1e-12);
    for (const [u, v] of pointsOf(s, 1)) {
      const r = Math.hypot(u, v);
      expect(r).toBeGreaterThanOrEqual(3.5 - 1e-12);
      expect(r).toBeLessThanOrEqual(5 + 1e-12);
    }
  });

  it('xor: class 1 exactly where x₁·x₂ < 0, every coordinate at least 0.3 from the axes', () => {
    const s = planeSet('xor', key(1), 400, 0);
    for (let i = 0; i < 400; i++) {
      const u = s.x[2 * i]!;
      const v = s.x[2 * i + 1]!;
      expect(s.label[i]).toBe(u * v < 0 ? 1 : 0);
      expect(Math.min(Math.abs(u), Math.abs(v))).toBeGreaterThanOrEqual(0.3 - 1e-12);
    }
    // all four quadrants are used
    const quadrants = new Set(pointsOf(s, 0).map(([u]) => Math.sign(u)));
    expect(quadrants.size).toBe(2);
  });

  it('gauss: class means near (2, 2) and (−2, −2) (|error| < 4σ/√n = 0.4 for n = 100 per class)', () => {
    const s = planeSet('gauss', key(2), 200, 0);
    for (const [c, centre] of [
      [0, 2],
      [1, -2],
    ] as const) {
      const p = pointsOf(s, c);
      const mean = [0, 1].map((k) => p.reduce((t, q) => t + q[k]!, 0) / p.length);
      for (const m of mean) expect(Math.abs(m - centre)).toBeLessThan(0.4);
    }
  });

  it('spiral: the arms are the same curve turned by π, radius growing with the index', () => {
    const s = planeSet('spiral', key(0), 200, 0);
    const a = pointsOf(s, 0);
    const b = pointsOf(s, 1);
    for (let i = 0; i < 100; i++) {
      // point i of arm 1 is point i of arm 0 rotated by π: (−x₁, −x₂)
      expect(b[i]![0]).toBeAllclose(-a[i]![0], { rtol: 0, atol: 1e-12 });
      expect(b[i]![1]).toBeAllclose(-a[i]![1], { rtol: 0, atol: 1e-12 });
      expect(Math.hypot(...a[i]!)).toBeAllclose((5 * i) / 100, { rtol: 0, atol: 1e-12 });
    }
  });

  it('noise: moves the points by σ·N(0, 1) from the same key (sample σ within 20 % of 0.5)', () => {
    const clean = planeSet('spiral', key(5), 1000, 0);
    const noisy = planeSet('spiral', key(5), 1000, 0.5);
    const d = Array.from(noisy.x, (v, i) => v - clean.x[i]!);
    const sd = Math.sqrt(d.reduce((t, v) => t + v * v, 0) / d.length);
    expect(sd).toBeGreaterThan(0.4);
    expect(sd).toBeLessThan(0.6);
    expect(Array.from(noisy.label)).toEqual(Array.from(clean.label));
  });

  it('refuses bad arguments, naming them', () => {
    expect(() => planeSet('spiral', key(0), 1, 0)).toThrow(
      'planeSet: n must be an integer ≥ 2, got 1',
    );
    expect(() => planeSet('spiral', key(0), 10, -1)).toThrow('planeSet: noise must be');
    expect(() => planeSet('moons' as never, key(0), 10, 0)).toThrow(
      'planeSet: name must be one of',
    );
  });
});

describe('splitRows', () => {
  it('partitions 0..n−1 into round(ratio·n/100) training rows and the rest, from the key', () => {
    const { train, test } = splitRows(key(0), 10, 70);
    expect(train.length).toBe(7);
    expect(test.length).toBe(3);
    expect([...train, ...test].sort((p, q) => p - q)).toEqual(
      Array.from({ length: 10 }, (_, i) => i),
    );
    expect(Array.from(splitRows(key(0), 10, 70).train)).toEqual(Array.from(train));
    expect(Array.from(splitRows(key(1), 10, 70).train)).not.toEqual(Array.from(train));
    // at least one row on each side
    expect(splitRows(key(0), 3, 10).train.length).toBe(1);
    expect(splitRows(key(0), 3, 90).test.length).toBe(1);
    expect(() => splitRows(key(0), 10, 100)).toThrow('splitRows: ratio must be');
  });

  it('takeRows copies whole rows in order', () => {
    expect(takeRows([1, 2, 3, 4, 5, 6], 2, [2, 0])).toEqual([5, 6, 1, 2]);
  });
});

describe('planeGrid', () => {
  it('gives cell centres row by row from the bottom', () => {
    expect(planeGrid([0, 1], [0, 1], 2, 2)).toEqual([
      0.25, 0.25, 0.75, 0.25, 0.25, 0.75, 0.75, 0.75,
    ]);
  });
});
