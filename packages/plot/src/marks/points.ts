import type { ContinuousScale, ScaleType } from '../scales.js';
import { attrs, num } from '../svg.js';
import { checkSeries, paletteSlots, seriesTable } from './line.js';
import { clampPx, type LegendEntry, type Mark, type SymbolName } from './types.js';

/** One series of points: columnar x and y. NaN and ±Infinity points are skipped. */
export interface PointSeries {
  readonly name?: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly color?: string;
  /** Symbol; default: circle, square, triangle, diamond, cross by series. */
  readonly symbol?: SymbolName;
}

/** Options of {@link points}. */
export interface PointsOptions {
  /** Symbol radius in pixels (default 3.5). */
  readonly r?: number;
  /** Fill opacity (default 0.9). */
  readonly opacity?: number;
  /** Outline colour (default: the theme's background) and width (default 0.75). */
  readonly stroke?: string;
  readonly strokeWidth?: number;
}

const SYMBOLS: readonly SymbolName[] = ['circle', 'square', 'triangle', 'diamond', 'cross'];

/** Path commands of one symbol of radius r centred at (x, y). */
export function symbolPath(symbol: SymbolName, x: number, y: number, r: number): string {
  switch (symbol) {
    case 'circle':
      return `M${num(x - r)},${num(y)}a${num(r)},${num(r)} 0 1,0 ${num(2 * r)},0a${num(r)},${num(r)} 0 1,0 ${num(-2 * r)},0z`;
    case 'square': {
      const s = r * 0.886;
      return `M${num(x - s)},${num(y - s)}h${num(2 * s)}v${num(2 * s)}h${num(-2 * s)}z`;
    }
    case 'triangle': {
      const h = r * 1.2;
      return `M${num(x)},${num(y - h)}L${num(x + h * 0.866)},${num(y + h / 2)}L${num(x - h * 0.866)},${num(y + h / 2)}z`;
    }
    case 'diamond': {
      const h = r * 1.25;
      return `M${num(x)},${num(y - h)}L${num(x + h)},${num(y)}L${num(x)},${num(y + h)}L${num(x - h)},${num(y)}z`;
    }
    case 'cross': {
      const a = r * 1.1;
      const b = r * 0.35;
      return `M${num(x - a)},${num(y - b)}h${num(a - b)}v${num(-(a - b))}h${num(2 * b)}v${num(a - b)}h${num(a - b)}v${num(2 * b)}h${num(-(a - b))}v${num(a - b)}h${num(-2 * b)}v${num(-(a - b))}h${num(-(a - b))}z`;
    }
  }
}

/**
 * A point mark: one filled path of symbols per series; each series gets its own colour and symbol.
 *
 * @example
 * chart({ marks: [points([{ name: 'class 0', x: [0, 1], y: [0, 1] }])] });
 */
export function points(
  series: PointSeries | readonly PointSeries[],
  options: PointsOptions = {},
): Mark {
  return pointsMark('points', 'series', series, options);
}

/** {@link points} with the caller's name in error messages. */
export function pointsMark(
  fn: string,
  arg: string,
  series: unknown,
  options: PointsOptions = {},
): Mark {
  const list = checkSeries(fn, arg, series) as readonly PointSeries[];
  const r = options.r ?? 3.5;
  const slot = paletteSlots(list);
  const symbolOf = (s: PointSeries, i: number) => s.symbol ?? SYMBOLS[i % SYMBOLS.length]!;
  return {
    kind: 'points',
    table: () => seriesTable(list),
    seriesCount: list.filter((s) => s.color === undefined).length,
    isData: true,
    extent(axis: 'x' | 'y', type: ScaleType) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const s of list) {
        const a = axis === 'x' ? s.x : s.y;
        const b = axis === 'x' ? s.y : s.x;
        for (let i = 0; i < a.length; i++) {
          const v = a[i]!;
          if (!Number.isFinite(v) || !Number.isFinite(b[i]!) || (type === 'log' && v <= 0))
            continue;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      return lo <= hi ? [lo, hi] : undefined;
    },
    legend(ctx) {
      const out: LegendEntry[] = [];
      list.forEach((s, i) => {
        if (s.name) {
          out.push({
            label: s.name,
            color: s.color ?? ctx.color(slot[i]!),
            swatch: 'symbol',
            symbol: symbolOf(s, i),
          });
        }
      });
      return out;
    },
    render(ctx) {
      const sx = (ctx.x as ContinuousScale).map;
      let out = '';
      list.forEach((s, i) => {
        const symbol = symbolOf(s, i);
        let d = '';
        for (let k = 0; k < s.x.length; k++) {
          const px = sx(s.x[k]!);
          const py = ctx.y.map(s.y[k]!);
          if (Number.isFinite(px) && Number.isFinite(py)) {
            d += symbolPath(symbol, clampPx(px), clampPx(py), r);
          }
        }
        out += `<path${attrs({
          'data-series': String(i),
          d,
          fill: s.color ?? ctx.color(slot[i]!),
          'fill-opacity': String(options.opacity ?? 0.9),
          stroke: options.stroke ?? ctx.theme.background,
          'stroke-width': options.strokeWidth ?? 0.75,
        })}/>`;
      });
      return out;
    },
  };
}
