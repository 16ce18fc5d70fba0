import type { ChartSpec } from '../chart.js';
import { type LineSeries, lineMark } from '../marks/line.js';
import { type CommonOptions, checkOptions, common, draw } from './common.js';

/** Options of {@link lineChart}. */
export interface LineChartOptions extends CommonOptions {
  /** One or more series; NaN/±Infinity points leave gaps. */
  readonly series: LineSeries | readonly LineSeries[];
}

/** The {@link ChartSpec} of {@link lineChart} (for `mountChart` or to add marks). */
export function lineChartSpec(options: LineChartOptions): ChartSpec {
  checkOptions('lineChart', options);
  return { ...common(options, {}, {}), marks: [lineMark('lineChart', 'series', options.series)] };
}

/**
 * A general line chart of one or more series, with legend.
 *
 * @example
 * const x = Float64Array.from({ length: 100 }, (_, i) => i / 99);
 * const svg = lineChart({ series: [{ name: 'sin', x, y: x.map((v) => Math.sin(6 * v)) }] });
 */
export function lineChart(options: LineChartOptions): string {
  return draw('lineChart', lineChartSpec(options));
}
