import type { ChartSpec } from '../chart.js';
import { invalid } from '../errors.js';
import { type BarSeries, barsMark } from '../marks/bars.js';
import { type CommonOptions, checkOptions, common, draw } from './common.js';

/** Options of {@link gradientBarsChart}. */
export interface GradientBarsOptions extends CommonOptions {
  /** One series per network/activation: a gradient magnitude per layer (e.g. mean |∂L/∂W|). */
  readonly series: BarSeries | readonly BarSeries[];
  /** Layer names (default `'1'`, `'2'`, … from the first series' length). */
  readonly layers?: readonly string[];
}

/** The {@link ChartSpec} of {@link gradientBarsChart}. */
export function gradientBarsChartSpec(options: GradientBarsOptions): ChartSpec {
  const fn = 'gradientBarsChart';
  checkOptions(fn, options);
  const list = (Array.isArray(options.series) ? options.series : [options.series]) as BarSeries[];
  const first = list[0];
  if (first === null || typeof first !== 'object') {
    throw invalid(fn, 'series', options.series, 'a series { name?, values } or an array of them');
  }
  const n = first.values?.length ?? 0;
  const layers = options.layers ?? Array.from({ length: n }, (_, i) => String(i + 1));
  return {
    ...common(options, { label: 'layer' }, { label: 'mean |∂L/∂W|', type: 'log' }),
    marks: [barsMark(fn, 'options', { categories: layers, series: list })],
  };
}

/**
 * Per-layer gradient magnitudes as grouped bars on a log axis (vanishing gradients: sigmoid layers
 * shrink by about ¼ per layer, ReLU layers do not).
 *
 * @example
 * const svg = gradientBarsChart({
 *   series: [
 *     { name: 'sigmoid', values: [3e-5, 2e-4, 1e-3, 5e-3] },
 *     { name: 'ReLU', values: [2e-2, 3e-2, 2e-2, 4e-2] },
 *   ],
 * });
 */
export function gradientBarsChart(options: GradientBarsOptions): string {
  return draw('gradientBarsChart', gradientBarsChartSpec(options));
}
