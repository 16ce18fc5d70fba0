import type { ChartSpec } from '../chart.js';
import { assertArrayLike, invalid } from '../errors.js';
import { type LineSeries, lineMark } from '../marks/line.js';
import { ruleY } from '../marks/rule.js';
import type { Mark } from '../marks/types.js';
import { type CommonOptions, checkOptions, common, draw } from './common.js';

/** One training run's losses; `x` defaults to 1, 2, …, n (epochs or steps). */
export interface LossRun {
  readonly name?: string;
  readonly loss: ArrayLike<number>;
  readonly x?: ArrayLike<number>;
}

/** Options of {@link lossChart}. */
export interface LossChartOptions extends CommonOptions {
  readonly runs: LossRun | readonly LossRun[];
  /** A horizontal reference line (a target loss), with optional label. */
  readonly reference?: number | { readonly value: number; readonly label?: string };
}

/** 1, 2, …, n as a Float64Array. */
function counting(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i + 1;
  return out;
}

/** The {@link ChartSpec} of {@link lossChart}. */
export function lossChartSpec(options: LossChartOptions): ChartSpec {
  const fn = 'lossChart';
  checkOptions(fn, options);
  const runs = (Array.isArray(options.runs) ? options.runs : [options.runs]) as LossRun[];
  const series: LineSeries[] = runs.map((r, i) => {
    const at = Array.isArray(options.runs) ? `runs[${i}]` : 'runs';
    if (r === null || typeof r !== 'object')
      throw invalid(fn, at, r, 'an object { name?, loss, x? }');
    const loss = assertArrayLike(fn, `${at}.loss`, r.loss);
    return { name: r.name, x: r.x ?? counting(loss.length), y: loss };
  });
  const marks: Mark[] = [lineMark(fn, 'runs', series)];
  const ref = options.reference;
  if (ref !== undefined) {
    const value = typeof ref === 'number' ? ref : ref?.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalid(fn, 'reference', ref, 'a finite number or { value, label? }');
    }
    marks.push(ruleY(value, typeof ref === 'number' ? {} : { label: ref.label }));
  }
  return {
    ...common(options, { label: 'epoch' }, { label: 'loss', type: 'log' }),
    marks,
  };
}

/**
 * Loss curves of one or more training runs, on a log y axis by default (losses ≤ 0 or non-finite
 * leave gaps); long runs are decimated to about 4 points per pixel column.
 *
 * @example
 * const loss = Float64Array.from({ length: 500 }, (_, i) => 2 * Math.exp(-i / 80) + 1e-3);
 * const svg = lossChart({ runs: [{ name: 'SGD', loss }], reference: { value: 1e-3, label: 'floor' } });
 */
export function lossChart(options: LossChartOptions): string {
  return draw('lossChart', lossChartSpec(options));
}
