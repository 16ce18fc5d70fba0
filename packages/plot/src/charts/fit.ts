import type { ChartSpec } from '../chart.js';
import { assertArrayLike, invalid, PlotDataError } from '../errors.js';
import { type LineSeries, lineMark } from '../marks/line.js';
import { pointsMark } from '../marks/points.js';
import type { Mark } from '../marks/types.js';
import { lightTheme, resolveTheme } from '../themes.js';
import { type CommonOptions, checkOptions, common, draw } from './common.js';

/** A target given as values on the grid x, or as a function evaluated there. */
export type Target = ArrayLike<number> | ((x: number) => number);

/** Evaluates or checks a target against the grid. */
export function targetValues(
  fn: string,
  arg: string,
  x: ArrayLike<number>,
  target: Target,
): ArrayLike<number> {
  if (typeof target === 'function') {
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = target(x[i]!);
    return out;
  }
  assertArrayLike(fn, arg, target);
  if (target.length !== x.length) {
    throw new PlotDataError(
      `${fn}: ${arg} has length ${target.length} but x has length ${x.length}`,
      fn,
      arg,
    );
  }
  return target;
}

/** Options of {@link fitChart}. */
export interface FitChartOptions extends CommonOptions {
  /** Grid on which target and approximation are given. */
  readonly x: ArrayLike<number>;
  /** Target values on x, or the target function. */
  readonly target: Target;
  /** The network's output on x. */
  readonly approximation: ArrayLike<number>;
  /** Training samples to show as points (optional). */
  readonly samples?: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number> };
  /** Legend text of the target (default `'target'`); e.g. `'f(x) = −3x + 2'`. */
  readonly targetLabel?: string;
  /** Legend text of the approximation (default `'network'`). */
  readonly approximationLabel?: string;
}

/** The target curve's style: theme foreground, wide and translucent, drawn under the fits. */
export function targetSeries(
  options: CommonOptions,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  name: string,
): LineSeries {
  const theme = resolveTheme(options.theme ?? lightTheme);
  return { name, x, y, color: theme.target, width: 4, opacity: 0.35 };
}

/** The {@link ChartSpec} of {@link fitChart}. */
export function fitChartSpec(options: FitChartOptions): ChartSpec {
  const fn = 'fitChart';
  checkOptions(fn, options);
  const x = assertArrayLike(fn, 'x', options.x);
  const target = targetValues(fn, 'target', x, options.target);
  const approximation = assertArrayLike(fn, 'approximation', options.approximation);
  if (approximation.length !== x.length) {
    throw new PlotDataError(
      `${fn}: approximation has length ${approximation.length} but x has length ${x.length}`,
      fn,
      'approximation',
    );
  }
  const marks: Mark[] = [
    lineMark(fn, 'target', targetSeries(options, x, target, options.targetLabel ?? 'target')),
    lineMark(fn, 'approximation', {
      name: options.approximationLabel ?? 'network',
      x,
      y: approximation,
      dash: true,
    }),
  ];
  if (options.samples !== undefined) {
    if (options.samples === null || typeof options.samples !== 'object') {
      throw invalid(fn, 'samples', options.samples, 'an object { x, y }');
    }
    marks.push(
      pointsMark(fn, 'samples', { name: 'samples', ...options.samples }, { r: 2.5, opacity: 0.6 }),
    );
  }
  return { ...common(options, { label: 'x' }, { label: 'y' }), marks };
}

/**
 * Target versus approximation (the lecture's Example 1): the target as a wide translucent curve,
 * the network's output dashed on top, optionally the training samples.
 *
 * @example
 * const x = Float64Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
 * const svg = fitChart({
 *   x,
 *   target: (v) => -3 * v + 2,
 *   targetLabel: 'f(x) = −3x + 2',
 *   approximation: x.map((v) => -3 * v + 2 + 0.1 * Math.sin(4 * v)),
 * });
 */
export function fitChart(options: FitChartOptions): string {
  return draw('fitChart', fitChartSpec(options));
}
