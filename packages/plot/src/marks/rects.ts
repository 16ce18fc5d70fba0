import { assertArrayLike, PlotDataError } from '../errors.js';
import type { ContinuousScale, ScaleType } from '../scales.js';
import { attrs } from '../svg.js';
import { barBase } from './bars.js';
import type { LegendEntry, Mark, RenderContext } from './types.js';

/** Columnar rectangles from (x1, y1) to (x2, y2); y1 defaults to the base (0, or the log floor). */
export interface RectsData {
  readonly name?: string;
  readonly x1: ArrayLike<number>;
  readonly x2: ArrayLike<number>;
  readonly y2: ArrayLike<number>;
  readonly y1?: ArrayLike<number>;
  readonly color?: string;
}

/**
 * A rectangle mark on continuous axes (histogram bins): one rect per entry; entries with a
 * non-finite coordinate are skipped.
 *
 * @example
 * chart({ marks: [rects({ x1: [0, 1], x2: [1, 2], y2: [3, 5] })] });
 */
export function rects(data: RectsData): Mark {
  return rectsMark('rects', 'data', data);
}

/** {@link rects} with the caller's name in error messages. */
export function rectsMark(fn: string, arg: string, data: RectsData): Mark {
  const n = assertArrayLike(fn, `${arg}.x1`, data.x1).length;
  for (const key of ['x2', 'y2', 'y1'] as const) {
    const a = data[key];
    if (a === undefined && key === 'y1') continue;
    assertArrayLike(fn, `${arg}.${key}`, a);
    if (a!.length !== n) {
      throw new PlotDataError(
        `${fn}: ${arg}.${key} has length ${a!.length} but ${arg}.x1 has length ${n}`,
        fn,
        `${arg}.${key}`,
      );
    }
  }
  const { x1, x2, y2, y1 } = data;
  return {
    kind: 'rects',
    seriesCount: 1,
    isData: true,
    extent(axis: 'x' | 'y', type: ScaleType) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      const cols = axis === 'x' ? [x1, x2] : y1 ? [y1, y2] : [y2];
      for (const a of cols) {
        for (let i = 0; i < n; i++) {
          const v = a[i]!;
          if (!Number.isFinite(v) || (type === 'log' && v <= 0)) continue;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      if (axis === 'y' && !y1 && type === 'linear' && lo <= hi) {
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
      }
      return lo <= hi ? [lo, hi] : undefined;
    },
    legend(ctx: RenderContext): LegendEntry[] {
      return data.name
        ? [{ label: data.name, color: data.color ?? ctx.color(0), swatch: 'box' }]
        : [];
    },
    render(ctx: RenderContext) {
      const sx = (ctx.x as ContinuousScale).map;
      const bottom = ctx.plot.top + ctx.plot.height;
      const base = barBase(ctx.y, bottom);
      let out = '';
      for (let i = 0; i < n; i++) {
        const a = sx(x1[i]!);
        const b = sx(x2[i]!);
        const top = ctx.y.map(y2[i]!);
        const low = y1 ? ctx.y.map(y1[i]!) : base;
        if (![a, b, top, low].every(Number.isFinite)) continue;
        const ya = Math.max(Math.min(top, low), ctx.plot.top);
        const yb = Math.min(Math.max(top, low), bottom);
        out += `<rect${attrs({
          x: Math.min(a, b),
          y: ya,
          width: Math.abs(b - a),
          height: Math.max(0, yb - ya),
        })}/>`;
      }
      return `<g${attrs({
        fill: data.color ?? ctx.color(0),
        stroke: ctx.theme.background,
        'stroke-width': 1,
      })}>${out}</g>`;
    },
  };
}
