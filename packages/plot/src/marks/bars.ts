import { assertArrayLike, invalid, PlotDataError } from '../errors.js';
import type { BandScale, ContinuousScale, ScaleType } from '../scales.js';
import { attrs, escapeXml } from '../svg.js';
import { paletteSlots } from './line.js';
import type { LegendEntry, Mark, RenderContext } from './types.js';

/** One series of bars: a value per category. NaN, ±Infinity (and ≤ 0 on a log axis) draw no bar. */
export interface BarSeries {
  readonly name?: string;
  readonly values: ArrayLike<number>;
  readonly color?: string;
}

/** Data of {@link bars}: categories along x, one or more series grouped side by side. */
export interface BarsData {
  readonly categories: readonly string[];
  readonly series: BarSeries | readonly BarSeries[];
}

/** Bottom of a bar: y = 0 on a linear axis, the bottom of the plot on a log axis. */
export function barBase(y: ContinuousScale, plotBottom: number): number {
  if (y.type === 'log') return plotBottom;
  const b = y.map(0);
  return Math.min(Math.max(b, Math.min(y.range[0], y.range[1])), Math.max(y.range[0], y.range[1]));
}

/**
 * A grouped bar mark over categories (the x axis becomes a band axis), e.g. one bar per layer and
 * one colour per activation for gradient magnitudes.
 *
 * @example
 * chart({
 *   marks: [bars({ categories: ['1', '2', '3'], series: [{ name: 'sigmoid', values: [0.2, 0.05, 0.01] }] })],
 *   y: { type: 'log' },
 * });
 */
export function bars(data: BarsData): Mark {
  return barsMark('bars', 'data', data);
}

/** {@link bars} with the caller's name in error messages. */
export function barsMark(fn: string, arg: string, data: BarsData): Mark {
  if (data === null || typeof data !== 'object') {
    throw invalid(fn, arg, data, 'an object { categories, series }');
  }
  const { categories } = data;
  if (!Array.isArray(categories) || categories.some((c) => typeof c !== 'string')) {
    throw invalid(fn, `${arg}.categories`, categories, 'an array of strings');
  }
  const list = (Array.isArray(data.series) ? data.series : [data.series]) as BarSeries[];
  list.forEach((s, i) => {
    const at = `${arg}.series[${i}]`;
    if (s === null || typeof s !== 'object')
      throw invalid(fn, at, s, 'an object { name?, values }');
    assertArrayLike(fn, `${at}.values`, s.values);
    if (s.values.length !== categories.length) {
      throw new PlotDataError(
        `${fn}: ${at}.values has length ${s.values.length} but there are ${categories.length} categories`,
        fn,
        `${at}.values`,
      );
    }
  });
  const slot = paletteSlots(list);
  return {
    kind: 'bars',
    table: () => ({
      columns: ['x', ...list.map((s, i) => s.name ?? `series ${i + 1}`)],
      rows: categories.map((c, k) => [c, ...list.map((s) => s.values[k]!)]),
    }),
    seriesCount: list.filter((s) => s.color === undefined).length,
    isData: true,
    categories,
    extent(axis: 'x' | 'y', type: ScaleType) {
      if (axis === 'x') return undefined;
      let lo = type === 'log' ? Number.POSITIVE_INFINITY : 0;
      let hi = type === 'log' ? Number.NEGATIVE_INFINITY : 0;
      let any = false;
      for (const s of list) {
        for (let i = 0; i < s.values.length; i++) {
          const v = s.values[i]!;
          if (!Number.isFinite(v) || (type === 'log' && v <= 0)) continue;
          any = true;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      return any ? [lo, hi] : undefined;
    },
    legend(ctx: RenderContext) {
      const out: LegendEntry[] = [];
      list.forEach((s, i) => {
        if (s.name)
          out.push({ label: s.name, color: s.color ?? ctx.color(slot[i]!), swatch: 'box' });
      });
      return out;
    },
    render(ctx: RenderContext) {
      const band = ctx.x as BandScale;
      const base = barBase(ctx.y, ctx.plot.top + ctx.plot.height);
      const inner = band.bandwidth / list.length;
      let out = '';
      list.forEach((s, i) => {
        let rects = '';
        for (let c = 0; c < categories.length; c++) {
          const v = s.values[c]!;
          const py = ctx.y.map(v);
          if (!Number.isFinite(py)) continue;
          const top = Math.max(Math.min(py, base), ctx.plot.top);
          const bottom = Math.min(Math.max(py, base), ctx.plot.top + ctx.plot.height);
          rects += `<rect${attrs({
            x: band.start(c) + i * inner + inner * 0.05,
            y: top,
            width: inner * 0.9,
            height: Math.max(0, bottom - top),
          })}><title>${escapeXml(`${s.name ? `${s.name}, ` : ''}${categories[c]}: ${v}`)}</title></rect>`;
        }
        out += `<g${attrs({ 'data-series': String(i), fill: s.color ?? ctx.color(slot[i]!) })}>${rects}</g>`;
      });
      return out;
    },
  };
}
