import type { ChartSpec } from '../chart.js';
import { assertArrayLike, invalid } from '../errors.js';
import { type LineSeries, lineMark } from '../marks/line.js';
import { type CommonOptions, checkOptions, common, draw } from './common.js';
import { type Target, targetSeries, targetValues } from './fit.js';

/** Options of {@link depthComparisonChart}. */
export interface DepthComparisonOptions extends CommonOptions {
  readonly x: ArrayLike<number>;
  readonly target: Target;
  /** Legend text of the target (default `'target'`), e.g. `'log x'`. */
  readonly targetLabel?: string;
  /** One approximation per network, e.g. `[{ name: 'N = 1', y }, { name: 'N = 2', y }, …]`. */
  readonly approximations: readonly { readonly name: string; readonly y: ArrayLike<number> }[];
}

/** The {@link ChartSpec} of {@link depthComparisonChart}. */
export function depthComparisonChartSpec(options: DepthComparisonOptions): ChartSpec {
  const fn = 'depthComparisonChart';
  checkOptions(fn, options);
  const x = assertArrayLike(fn, 'x', options.x);
  const target = targetValues(fn, 'target', x, options.target);
  if (!Array.isArray(options.approximations)) {
    throw invalid(fn, 'approximations', options.approximations, 'an array of { name, y }');
  }
  const fits: LineSeries[] = options.approximations.map((a) => ({ name: a?.name, x, y: a?.y }));
  return {
    ...common(options, { label: 'x' }, { label: 'y' }),
    marks: [
      lineMark(fn, 'target', targetSeries(options, x, target, options.targetLabel ?? 'target')),
      lineMark(fn, 'approximations', fits),
    ],
  };
}

/**
 * Several approximations against one target (the lecture's Example 2: depths N = 1, 2, 3), each in
 * its own CVD-safe colour over the wide translucent target.
 *
 * @example
 * const x = Float64Array.from({ length: 100 }, (_, i) => 0.5 + (2.5 * i) / 99);
 * const svg = depthComparisonChart({
 *   x,
 *   target: Math.log,
 *   targetLabel: 'log x',
 *   approximations: [{ name: 'N = 1', y: x.map((v) => 0.6 * v - 0.8) }],
 * });
 */
export function depthComparisonChart(options: DepthComparisonOptions): string {
  return draw('depthComparisonChart', depthComparisonChartSpec(options));
}
