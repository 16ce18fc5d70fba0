import { assertArrayLike, invalid, PlotDataError } from '../errors.js';
import { type ContinuousScale, extentOf, type ScaleType } from '../scales.js';
import { attrs, num } from '../svg.js';
import {
  clampPx,
  type LegendEntry,
  type Mark,
  type MarkTable,
  type RenderContext,
} from './types.js';

/** One line: columnar x and y of equal length (typed arrays welcome). NaN and ±Infinity are gaps. */
export interface LineSeries {
  readonly name?: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** CSS colour; default: the next palette colour. */
  readonly color?: string;
  /** `true` for a default dash, or an SVG `stroke-dasharray` such as `'6 3'`. */
  readonly dash?: boolean | string;
  /** Stroke width in pixels (default 2). */
  readonly width?: number;
  /** Stroke opacity in [0, 1] (default 1). */
  readonly opacity?: number;
}

/** A line mark: one path per series. */
export interface LineMark extends Mark {
  readonly kind: 'line';
  readonly series: readonly LineSeries[];
  /** The `d` attribute of each series' path (what a live chart updates in place). */
  paths(ctx: RenderContext): string[];
}

/** Validates series: arrays, equal lengths. `fn` and `arg` name the caller in messages. */
export function checkSeries(fn: string, arg: string, series: unknown): readonly LineSeries[] {
  const list = Array.isArray(series) ? series : [series];
  list.forEach((s, i) => {
    const at = Array.isArray(series) ? `${arg}[${i}]` : arg;
    if (s === null || typeof s !== 'object') throw invalid(fn, at, s, 'an object { name?, x, y }');
    const { x, y, name } = s as LineSeries;
    assertArrayLike(fn, `${at}.x`, x);
    assertArrayLike(fn, `${at}.y`, y);
    if (name !== undefined && typeof name !== 'string') {
      throw invalid(fn, `${at}.name`, name, 'a string');
    }
    if (x.length !== y.length) {
      const label = name === undefined ? '' : ` (${JSON.stringify(name)})`;
      throw new PlotDataError(
        `${fn}: ${at}${label} has x.length ${x.length} but y.length ${y.length}`,
        fn,
        at,
      );
    }
  });
  return list as LineSeries[];
}

/**
 * Palette slot of each series: series with an explicit colour take none, so the others keep the
 * palette's order.
 */
export function paletteSlots(list: readonly { readonly color?: string | undefined }[]): number[] {
  let next = 0;
  return list.map((s) => (s.color === undefined ? next++ : -1));
}

/** Whether `x` is non-decreasing over its finite values (then a line can be decimated). */
function isSorted(x: ArrayLike<number>): boolean {
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < prev) return false;
    prev = v;
  }
  return true;
}

/** Reads the dash option into a stroke-dasharray. */
export function dashArray(dash: boolean | string | undefined): string | undefined {
  if (dash === true) return '6 4';
  return typeof dash === 'string' ? dash : undefined;
}

/**
 * The SVG path `d` of a line through (x[i], y[i]). Points whose pixel position is not finite (NaN or
 * ±Infinity data, values ≤ 0 on a log axis) end the current sub-path, so they leave a gap instead of
 * breaking the path.
 *
 * Decimation (after uPlot): when x is sorted and there are more than `4 × pixel width` points, the
 * points falling into one pixel column are reduced to the first, lowest, highest and last of them, in
 * their original order. The drawn shape is unchanged at that resolution and the path stays small.
 *
 * Steps: map each point to pixels; on a gap flush the column and lift the pen; on a new column flush
 * the previous one (emitting its up to 4 representative points); append `M` or `L` commands.
 */
export function linePath(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  sx: (v: number) => number,
  sy: (v: number) => number,
  pixelWidth: number,
): string {
  const n = Math.min(x.length, y.length);
  let d = '';
  let pen = false;
  const put = (px: number, py: number) => {
    d += `${pen ? 'L' : 'M'}${num(clampPx(px))},${num(clampPx(py))}`;
    pen = true;
  };
  if (n <= 4 * Math.max(1, pixelWidth) || !isSorted(x)) {
    for (let i = 0; i < n; i++) {
      const px = sx(x[i]!);
      const py = sy(y[i]!);
      if (Number.isFinite(px) && Number.isFinite(py)) put(px, py);
      else pen = false;
    }
    return d;
  }
  // Decimation: one column per pixel, keep first / min / max / last (by index order).
  let column = Number.NaN;
  let first = -1;
  let last = -1;
  let lo = -1;
  let hi = -1;
  let loY = 0;
  let hiY = 0;
  const flush = () => {
    if (first < 0) return;
    // Emit distinct indices among first, lo, hi, last in ascending order (at most 4, no allocation).
    let prev = -1;
    for (let k = 0; k < 4; k++) {
      let next = Number.POSITIVE_INFINITY;
      if (first > prev && first < next) next = first;
      if (lo > prev && lo < next) next = lo;
      if (hi > prev && hi < next) next = hi;
      if (last > prev && last < next) next = last;
      if (next === Number.POSITIVE_INFINITY) break;
      put(sx(x[next]!), sy(y[next]!));
      prev = next;
    }
    first = -1;
  };
  for (let i = 0; i < n; i++) {
    const px = sx(x[i]!);
    const py = sy(y[i]!);
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      flush();
      pen = false;
      column = Number.NaN;
      continue;
    }
    const c = Math.floor(px);
    if (c !== column) {
      flush();
      column = c;
      first = last = lo = hi = i;
      loY = hiY = py;
      continue;
    }
    last = i;
    if (py < loY) {
      loY = py;
      lo = i;
    }
    if (py > hiY) {
      hiY = py;
      hi = i;
    }
  }
  flush();
  return d;
}

/**
 * A line mark: one path per series, NaN/±Infinity gaps, decimation of long sorted series.
 *
 * @example
 * const x = [0, 1, 2, 3];
 * chart({ marks: [line([{ name: 'x²', x, y: x.map((v) => v * v) }])] });
 */
export function line(series: LineSeries | readonly LineSeries[]): LineMark {
  return lineMark('line', 'series', series);
}

/** Rows (series, x, y) of every point of every series: the text alternative of lines and points. */
export function seriesTable(list: readonly LineSeries[]): MarkTable {
  const rows: (string | number)[][] = [];
  list.forEach((s, i) => {
    for (let k = 0; k < s.y.length; k++) rows.push([s.name ?? `series ${i + 1}`, s.x[k]!, s.y[k]!]);
  });
  return { columns: ['series', 'x', 'y'], rows };
}

/** {@link line} with the caller's name in error messages. */
export function lineMark(fn: string, arg: string, series: unknown): LineMark {
  const list = checkSeries(fn, arg, series);
  const slot = paletteSlots(list);
  const paths = (ctx: RenderContext): string[] => {
    const sx = (ctx.x as ContinuousScale).map;
    if (!sx || ctx.x.type === 'band') {
      throw new PlotDataError(`${fn}: a line needs a continuous x axis, not categories`, fn, 'x');
    }
    return list.map((s) => linePath(s.x, s.y, sx, ctx.y.map, ctx.plot.width));
  };
  return {
    kind: 'line',
    series: list,
    table: () => seriesTable(list),
    seriesCount: list.filter((s) => s.color === undefined).length,
    isData: true,
    extent(axis: 'x' | 'y', type: ScaleType) {
      let out: [number, number] | undefined;
      for (const s of list) {
        const e = lineExtent(s, axis, type);
        if (e) out = out ? [Math.min(out[0], e[0]), Math.max(out[1], e[1])] : e;
      }
      return out;
    },
    legend(ctx) {
      const out: LegendEntry[] = [];
      list.forEach((s, i) => {
        if (s.name) {
          out.push({
            label: s.name,
            color: s.color ?? ctx.color(slot[i]!),
            swatch: 'line',
            dash: dashArray(s.dash),
            strokeWidth: s.width,
            opacity: s.opacity,
          });
        }
      });
      return out;
    },
    paths,
    render(ctx) {
      const ds = paths(ctx);
      let out = '';
      list.forEach((s, i) => {
        out += `<path${attrs({
          'data-series': String(i),
          d: ds[i] ?? '',
          fill: 'none',
          stroke: s.color ?? ctx.color(slot[i]!),
          'stroke-width': s.width ?? 2,
          'stroke-opacity': s.opacity === undefined ? undefined : String(s.opacity),
          'stroke-dasharray': dashArray(s.dash),
          'stroke-linejoin': 'round',
          'stroke-linecap': 'round',
        })}/>`;
      });
      return out;
    },
  };
}

/**
 * Extent of a series along an axis, counting only points that can be drawn (both coordinates
 * finite). The other axis' type is not known here, so only this axis' type filters values.
 */
function lineExtent(s: LineSeries, axis: 'x' | 'y', type: ScaleType): [number, number] | undefined {
  const a = axis === 'x' ? s.x : s.y;
  const b = axis === 'x' ? s.y : s.x;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v) || !Number.isFinite(b[i]!) || (type === 'log' && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : extentOf([], type);
}
