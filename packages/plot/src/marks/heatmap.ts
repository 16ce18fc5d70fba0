import { assertArrayLike, invalid, PlotDataError } from '../errors.js';
import { type ContinuousScale, extentOf, type ScaleType } from '../scales.js';
import { attrs, num } from '../svg.js';
import { rampColor } from '../themes.js';
import { clampPx, type LegendEntry, type Mark, type RenderContext } from './types.js';

/**
 * A regular grid of values covering [x0, x1] × [y0, y1]: `values[j * nx + i]` is cell i (from x0)
 * of row j (from y0, the bottom). NaN cells are left transparent.
 */
export interface HeatmapData {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly nx: number;
  readonly ny: number;
  readonly values: ArrayLike<number>;
  /** Colour domain (default: the values' extent); values outside are clamped. */
  readonly domain?: readonly [number, number];
  /** Levels at which to draw contour lines (e.g. `[0.5]` for a decision boundary). */
  readonly contours?: readonly number[];
  /** Legend text of the contour line. */
  readonly contourLabel?: string;
  /** Legend texts of the low and high ends of the colour ramp. */
  readonly lowLabel?: string;
  readonly highLabel?: string;
  /** Fill opacity of the cells (default 0.85). */
  readonly opacity?: number;
}

/** Number of colour levels; cells of equal level in a row merge into one rectangle. */
const LEVELS = 48;

function checkHeatmap(fn: string, arg: string, data: HeatmapData): void {
  if (data === null || typeof data !== 'object') {
    throw invalid(fn, arg, data, 'an object { x, y, nx, ny, values }');
  }
  for (const key of ['x', 'y'] as const) {
    const r = data[key];
    if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || !(r[0] < r[1])) {
      throw invalid(fn, `${arg}.${key}`, r, 'a pair [lo, hi] of finite numbers with lo < hi');
    }
  }
  for (const key of ['nx', 'ny'] as const) {
    const v = data[key];
    if (!Number.isInteger(v) || v < 1) throw invalid(fn, `${arg}.${key}`, v, 'an integer ≥ 1');
  }
  assertArrayLike(fn, `${arg}.values`, data.values);
  if (data.values.length !== data.nx * data.ny) {
    throw new PlotDataError(
      `${fn}: ${arg}.values has length ${data.values.length} but nx × ny = ${data.nx} × ${data.ny} = ${data.nx * data.ny}`,
      fn,
      `${arg}.values`,
    );
  }
}

/**
 * Line segments where the grid (sampled at cell centres) crosses `level`, as SVG path commands.
 *
 * Marching squares: for each square of four neighbouring cell centres, classify the corners as
 * ≥ level or below (16 cases); place a point on each edge whose ends differ, by linear
 * interpolation; join the two points (or, in the two saddle cases, pick the pairing from the
 * average of the four corners). Squares with a NaN corner are skipped.
 */
export function contourPath(
  data: HeatmapData,
  level: number,
  sx: (v: number) => number,
  sy: (v: number) => number,
): string {
  const { nx, ny, values } = data;
  const dx = (data.x[1] - data.x[0]) / nx;
  const dy = (data.y[1] - data.y[0]) / ny;
  const cx = (i: number) => data.x[0] + (i + 0.5) * dx;
  const cy = (j: number) => data.y[0] + (j + 0.5) * dy;
  let d = '';
  const seg = (ax: number, ay: number, bx: number, by: number) => {
    d += `M${num(clampPx(sx(ax)))},${num(clampPx(sy(ay)))}L${num(clampPx(sx(bx)))},${num(clampPx(sy(by)))}`;
  };
  const px = [0, 0, 0, 0];
  const py = [0, 0, 0, 0];
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const v00 = values[j * nx + i]!;
      const v10 = values[j * nx + i + 1]!;
      const v11 = values[(j + 1) * nx + i + 1]!;
      const v01 = values[(j + 1) * nx + i]!;
      if (
        !(
          Number.isFinite(v00) &&
          Number.isFinite(v10) &&
          Number.isFinite(v11) &&
          Number.isFinite(v01)
        )
      ) {
        continue;
      }
      const c =
        (v00 >= level ? 1 : 0) |
        (v10 >= level ? 2 : 0) |
        (v11 >= level ? 4 : 0) |
        (v01 >= level ? 8 : 0);
      if (c === 0 || c === 15) continue;
      // Edge crossings in the order bottom, right, top, left; -1 marks "no crossing".
      const t = (a: number, b: number) => (level - a) / (b - a);
      const x0 = cx(i);
      const x1 = cx(i + 1);
      const y0 = cy(j);
      const y1 = cy(j + 1);
      const has = [
        v00 >= level !== v10 >= level,
        v10 >= level !== v11 >= level,
        v01 >= level !== v11 >= level,
        v00 >= level !== v01 >= level,
      ];
      px[0] = x0 + t(v00, v10) * (x1 - x0);
      py[0] = y0;
      px[1] = x1;
      py[1] = y0 + t(v10, v11) * (y1 - y0);
      px[2] = x0 + t(v01, v11) * (x1 - x0);
      py[2] = y1;
      px[3] = x0;
      py[3] = y0 + t(v00, v01) * (y1 - y0);
      if (c === 5 || c === 10) {
        const centreHigh = (v00 + v10 + v11 + v01) / 4 >= level;
        // Pairing A joins bottom–right and top–left; pairing B joins left–bottom and right–top.
        const pairingA = (c === 5) === centreHigh;
        if (pairingA) {
          seg(px[0]!, py[0]!, px[1]!, py[1]!);
          seg(px[2]!, py[2]!, px[3]!, py[3]!);
        } else {
          seg(px[3]!, py[3]!, px[0]!, py[0]!);
          seg(px[1]!, py[1]!, px[2]!, py[2]!);
        }
        continue;
      }
      let first = -1;
      for (let e = 0; e < 4; e++) {
        if (!has[e]) continue;
        if (first < 0) first = e;
        else seg(px[first]!, py[first]!, px[e]!, py[e]!);
      }
    }
  }
  return d;
}

/**
 * A heat map of a regular grid (e.g. a classifier's output over the plane), with optional contour
 * lines (the decision boundary at 0.5). Colours come from the theme's CVD-safe ramp, quantised to 48
 * levels; equal neighbours in a row merge into one rectangle, so smooth fields stay small.
 *
 * @example
 * const nx = 2, ny = 2;
 * chart({ marks: [heatmap({ x: [0, 1], y: [0, 1], nx, ny, values: [0, 1, 1, 0], contours: [0.5] })] });
 */
export function heatmap(data: HeatmapData): Mark {
  return heatmapMark('heatmap', 'data', data);
}

/** {@link heatmap} with the caller's name in error messages. */
export function heatmapMark(fn: string, arg: string, data: HeatmapData): Mark {
  checkHeatmap(fn, arg, data);
  const { nx, ny, values } = data;
  const domain = data.domain ?? extentOf(values, 'linear') ?? [0, 1];
  const hasData = extentOf(values, 'linear') !== undefined;
  return {
    kind: 'heatmap',
    table: () => {
      const rows: number[][] = [];
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          // the centre of cell (i, j)
          const x = data.x[0] + ((data.x[1] - data.x[0]) * (i + 0.5)) / nx;
          const y = data.y[0] + ((data.y[1] - data.y[0]) * (j + 0.5)) / ny;
          rows.push([x, y, values[j * nx + i]!]);
        }
      }
      return { columns: ['x', 'y', 'value'], rows };
    },
    seriesCount: 0,
    isData: true,
    extent(axis: 'x' | 'y', type: ScaleType) {
      if (!hasData) return undefined;
      const r = axis === 'x' ? data.x : data.y;
      if (type === 'log' && r[0] <= 0) return undefined;
      return [r[0], r[1]];
    },
    legend(ctx: RenderContext) {
      const out: LegendEntry[] = [];
      if (data.lowLabel)
        out.push({ label: data.lowLabel, color: ctx.theme.ramp[0], swatch: 'box' });
      if (data.highLabel)
        out.push({ label: data.highLabel, color: ctx.theme.ramp[2], swatch: 'box' });
      if (data.contourLabel && data.contours?.length) {
        out.push({ label: data.contourLabel, color: ctx.theme.foreground, swatch: 'line' });
      }
      return out;
    },
    render(ctx: RenderContext) {
      const sx = (ctx.x as ContinuousScale).map;
      const sy = ctx.y.map;
      const dx = (data.x[1] - data.x[0]) / nx;
      const dy = (data.y[1] - data.y[0]) / ny;
      const span = domain[1] - domain[0];
      const level = (v: number) =>
        Number.isFinite(v)
          ? Math.round(
              Math.min(1, Math.max(0, span > 0 ? (v - domain[0]) / span : 0.5)) * (LEVELS - 1),
            )
          : -1;
      let cells = '';
      for (let j = 0; j < ny; j++) {
        const top = sy(data.y[0] + (j + 1) * dy);
        const bottom = sy(data.y[0] + j * dy);
        if (!Number.isFinite(top) || !Number.isFinite(bottom)) continue;
        let i = 0;
        while (i < nx) {
          const q = level(values[j * nx + i]!);
          let k = i + 1;
          while (k < nx && level(values[j * nx + k]!) === q) k++;
          const left = sx(data.x[0] + i * dx);
          const right = sx(data.x[0] + k * dx);
          if (q >= 0 && Number.isFinite(left) && Number.isFinite(right)) {
            cells += `<rect${attrs({
              x: clampPx(Math.min(left, right)),
              y: clampPx(Math.min(top, bottom)),
              width: Math.abs(right - left),
              height: Math.abs(bottom - top),
              fill: rampColor(ctx.theme.ramp, q / (LEVELS - 1)),
            })}/>`;
          }
          i = k;
        }
      }
      let out = `<g${attrs({ 'fill-opacity': String(data.opacity ?? 0.85), 'shape-rendering': 'crispEdges' })}>${cells}</g>`;
      for (const c of data.contours ?? []) {
        if (!Number.isFinite(c)) continue;
        const d = contourPath(data, c, sx, sy);
        if (d) {
          out += `<path${attrs({ d, fill: 'none', stroke: ctx.theme.foreground, 'stroke-width': 2, 'stroke-linecap': 'round' })}/>`;
        }
      }
      return out;
    },
  };
}
