import type { ChartSpec } from '../chart.js';
import { invalid } from '../errors.js';
import { type HeatmapData, heatmapMark } from '../marks/heatmap.js';
import { type PointSeries, pointsMark } from '../marks/points.js';
import type { Mark } from '../marks/types.js';
import { resolveTheme } from '../themes.js';
import { type CommonOptions, checkOptions, common, draw } from './common.js';

/** Options of {@link decisionBoundaryChart}. */
export interface DecisionBoundaryOptions extends CommonOptions {
  /** The network's output on a grid over the plane (see {@link HeatmapData}). */
  readonly grid: Pick<HeatmapData, 'x' | 'y' | 'nx' | 'ny' | 'values'>;
  /** Training points per class (each class gets its own colour and symbol). */
  readonly points?: readonly PointSeries[];
  /** Output level of the boundary (default 0.5). */
  readonly threshold?: number;
  /** Colour domain of the output (default [0, 1]). */
  readonly domain?: readonly [number, number];
}

/** The {@link ChartSpec} of {@link decisionBoundaryChart}. */
export function decisionBoundaryChartSpec(options: DecisionBoundaryOptions): ChartSpec {
  const fn = 'decisionBoundaryChart';
  checkOptions(fn, options);
  const threshold = options.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw invalid(fn, 'threshold', threshold, 'a finite number');
  }
  const theme = resolveTheme(options.theme);
  const t = String(threshold);
  const marks: Mark[] = [
    heatmapMark(fn, 'grid', {
      ...options.grid,
      domain: options.domain ?? [0, 1],
      contours: [threshold],
      lowLabel: `ŷ < ${t}`,
      highLabel: `ŷ > ${t}`,
      contourLabel: `ŷ = ${t}`,
    }),
  ];
  if (options.points !== undefined) {
    if (!Array.isArray(options.points)) {
      throw invalid(fn, 'points', options.points, 'an array of { name?, x, y }');
    }
    const ends = [theme.ramp[0], theme.ramp[2]];
    const coloured = options.points.map((p, i) =>
      p && typeof p === 'object' && i < 2 && p.color === undefined ? { ...p, color: ends[i] } : p,
    );
    marks.push(
      pointsMark(fn, 'points', coloured, {
        r: 5,
        opacity: 1,
        stroke: theme.foreground,
        strokeWidth: 1.25,
      }),
    );
  }
  return {
    ...common(
      options,
      { label: 'x₁', grid: false, nice: false },
      { label: 'x₂', grid: false, nice: false },
    ),
    legend: options.legend ?? 'none',
    marks,
  };
}

/**
 * A classifier's decision boundary in the plane (XOR): its output as a heat map on a CVD-safe
 * blue–orange ramp, the boundary as a contour line at the threshold, and the training points by
 * class. The legend is off by default (the map is full); pass `legend: 'top-right'` to show it.
 *
 * @example
 * const nx = 40, ny = 40;
 * const values = new Float64Array(nx * ny);
 * for (let j = 0; j < ny; j++)
 *   for (let i = 0; i < nx; i++) values[j * nx + i] = (i < nx / 2) !== (j < ny / 2) ? 1 : 0;
 * const svg = decisionBoundaryChart({ grid: { x: [0, 1], y: [0, 1], nx, ny, values } });
 */
export function decisionBoundaryChart(options: DecisionBoundaryOptions): string {
  return draw('decisionBoundaryChart', decisionBoundaryChartSpec(options));
}
