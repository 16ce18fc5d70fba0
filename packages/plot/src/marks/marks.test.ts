import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { chart } from '../chart.js';
import { PlotDataError } from '../errors.js';
import { bars } from './bars.js';
import { contourPath, heatmap } from './heatmap.js';
import { line, linePath } from './line.js';
import { points, symbolPath } from './points.js';
import { rects } from './rects.js';
import { ruleX, ruleY } from './rule.js';

const id = (v: number) => v;
const log = (v: number) => (v > 0 ? Math.log10(v) : Number.NaN);

/** Sub-paths of a path: arrays of [x, y] points. */
function subpaths(d: string): number[][][] {
  return d
    .split('M')
    .filter(Boolean)
    .map((p) => p.split('L').map((xy) => xy.split(',').map(Number)));
}

describe('linePath', () => {
  it('draws one sub-path through finite points', () => {
    expect(linePath([0, 1, 2], [5, 6, 7], id, id, 100)).toBe('M0,5L1,6L2,7');
  });

  it('leaves a gap at NaN and ±Infinity instead of breaking the path', () => {
    const y = [0, 1, Number.NaN, 3, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 6, 7];
    const d = linePath([0, 1, 2, 3, 4, 5, 6, 7], y, id, id, 100);
    expect(d).toBe('M0,0L1,1M3,3M6,6L7,7');
    expect(d).not.toMatch(/NaN|Infinity/);
  });

  it('leaves a gap where a log scale cannot show a value (≤ 0)', () => {
    expect(linePath([0, 1, 2, 3], [10, 0, 100, 1000], id, log, 100)).toBe('M0,1M2,2L3,3');
  });

  it('decimates a long sorted series to ≤ 4 points per pixel column, keeping the extremes', () => {
    const n = 50_000;
    const r = seeded(3);
    const x = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
    const y = Float64Array.from({ length: n }, () => r.normal());
    const width = 200;
    const d = linePath(x, y, (v) => v * width, id, width);
    const pts = subpaths(d).flat();
    expect(pts.length).toBeLessThanOrEqual(4 * (width + 1));
    expect(pts.length).toBeGreaterThan(2 * width);
    // The extremes survive decimation (to the 2-decimal rounding of coordinates).
    const ys = pts.map((p) => p[1]!);
    expect(Math.max(...ys)).toBeAllclose(Math.max(...y), { rtol: 0, atol: 0.005 });
    expect(Math.min(...ys)).toBeAllclose(Math.min(...y), { rtol: 0, atol: 0.005 });
    // x stays in order.
    const xs = pts.map((p) => p[0]!);
    expect(xs.every((v, i) => i === 0 || v >= xs[i - 1]!)).toBe(true);
  });

  it('keeps gaps while decimating', () => {
    const n = 10_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i === 5000 ? Number.NaN : Math.sin(i)));
    expect(subpaths(linePath(x, y, (v) => v / 100, id, 100))).toHaveLength(2);
  });

  it('does not decimate unsorted x (a parametric curve)', () => {
    const n = 2000;
    const t = Float64Array.from({ length: n }, (_, i) => (2 * Math.PI * i) / n);
    const d = linePath(t.map(Math.cos), t.map(Math.sin), id, id, 10);
    expect(subpaths(d)[0]).toHaveLength(n);
  });
});

describe('mark validation', () => {
  it('line: mismatched lengths throw a clear PlotDataError', () => {
    expect(() => line([{ name: 'fit', x: [1, 2, 3], y: [1, 2] }])).toThrow(PlotDataError);
    expect(() =>
      line([
        { name: 'ok', x: [1], y: [1] },
        { name: 'fit', x: [1, 2, 3], y: [1, 2] },
      ]),
    ).toThrow('line: series[1] ("fit") has x.length 3 but y.length 2');
    expect(() => line({ x: [1], y: 'ab' as never })).toThrow(
      'line: series.y must be an array or typed array of numbers, got "ab"',
    );
  });
  it('points, bars, rects, heatmap and rules validate their data', () => {
    expect(() => points({ x: [1, 2], y: [1] })).toThrow(
      'points: series has x.length 2 but y.length 1',
    );
    expect(() => bars({ categories: ['1', '2'], series: { values: [1] } })).toThrow(
      'bars: data.series[0].values has length 1 but there are 2 categories',
    );
    expect(() => rects({ x1: [0], x2: [1, 2], y2: [1] })).toThrow(
      'rects: data.x2 has length 2 but data.x1 has length 1',
    );
    expect(() => heatmap({ x: [0, 1], y: [0, 1], nx: 2, ny: 2, values: [1, 2, 3] })).toThrow(
      'heatmap: data.values has length 3 but nx × ny = 2 × 2 = 4',
    );
    expect(() => heatmap({ x: [1, 0], y: [0, 1], nx: 1, ny: 1, values: [1] })).toThrow(
      'heatmap: data.x must be a pair [lo, hi] of finite numbers with lo < hi, got Array(2)',
    );
    expect(() => ruleY(Number.NaN)).toThrow('ruleY: value must be a finite number, got NaN');
    expect(() => ruleX(Number.POSITIVE_INFINITY)).toThrow('ruleX: value must be a finite number');
  });
});

describe('symbols', () => {
  it('are closed paths around the centre', () => {
    for (const s of ['circle', 'square', 'triangle', 'diamond', 'cross'] as const) {
      const d = symbolPath(s, 10, 20, 4);
      expect(d.startsWith('M')).toBe(true);
      expect(d.endsWith('z')).toBe(true);
    }
  });
});

describe('contourPath (marching squares)', () => {
  it('places the 0.5 level of a linear ramp at the interpolated position (closed form)', () => {
    // values = x at cell centres 0.1, 0.3, …, 0.9 → the 0.5 contour is the vertical line x = 0.5.
    const nx = 5;
    const ny = 4;
    const values = new Float64Array(nx * ny);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) values[j * nx + i] = (i + 0.5) / nx;
    const d = contourPath({ x: [0, 1], y: [0, 1], nx, ny, values }, 0.5, id, id);
    const segs = subpaths(d);
    expect(segs).toHaveLength(ny - 1);
    for (const seg of segs) {
      for (const [x] of seg) expect(x).toBeAllclose(0.5, { rtol: 0, atol: 1e-12 });
    }
  });

  it('traces a circle |p| = r on a radial field within the cell size', () => {
    const n = 40;
    const values = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const x = -1 + (2 * (i + 0.5)) / n;
        const y = -1 + (2 * (j + 0.5)) / n;
        values[j * n + i] = Math.hypot(x, y);
      }
    }
    const pts = subpaths(
      contourPath({ x: [-1, 1], y: [-1, 1], nx: n, ny: n, values }, 0.6, id, id),
    ).flat();
    expect(pts.length).toBeGreaterThan(50);
    // Linear interpolation of |p| along cell edges is within (cell size)² of the circle.
    for (const [x, y] of pts) expect(Math.hypot(x!, y!)).toBeAllclose(0.6, { rtol: 0, atol: 0.01 });
  });

  it('skips squares with a NaN corner', () => {
    const d = contourPath(
      { x: [0, 1], y: [0, 1], nx: 2, ny: 2, values: [0, 1, Number.NaN, 1] },
      0.5,
      id,
      id,
    );
    expect(d).toBe('');
  });
});

describe('marks in a chart', () => {
  it('bars on a log axis start at the bottom of the plot and skip values ≤ 0', () => {
    const svg = chart({
      y: { type: 'log' },
      marks: [bars({ categories: ['a', 'b', 'c'], series: { values: [1e-3, 0, 1e-1] } })],
    });
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
  });

  it('a heat map merges equal neighbours in a row into one rectangle', () => {
    const svg = chart({
      marks: [heatmap({ x: [0, 1], y: [0, 1], nx: 4, ny: 1, values: [0, 0, 0, 1] })],
    });
    expect(svg.match(/<rect x=[^>]*fill="#/g)).toHaveLength(2);
  });
});
