import { format } from 'd3-format';
import type { ChartSpec } from '../chart.js';
import { assertArrayLike, invalid } from '../errors.js';
import { rectsMark } from '../marks/rects.js';
import { ruleX } from '../marks/rule.js';
import type { Mark } from '../marks/types.js';
import { continuousScale, extentOf, type ScaleType } from '../scales.js';
import { type CommonOptions, checkOptions, common, draw } from './common.js';

/** Options of {@link lossHistogramChart}. */
export interface LossHistogramOptions extends CommonOptions {
  /** Final losses of many trainings (e.g. one per random initialisation). */
  readonly losses: ArrayLike<number>;
  /** Number of bins (default: Sturges' rule, 5 to 50). */
  readonly bins?: number;
  /** Log-spaced bins on a log axis (default: when all losses are > 0 and span ≥ 2 decades). */
  readonly log?: boolean;
  /** Mark the median with a vertical line (default true). */
  readonly median?: boolean;
}

/** Bins of a histogram: edges (length bins + 1) and counts. */
export interface Histogram {
  readonly edges: Float64Array;
  readonly counts: Float64Array;
  /** Values that could not be binned (non-finite, or ≤ 0 with log bins). */
  readonly dropped: number;
}

/**
 * Bins values into `bins` equal bins (equal in log10 when `type` is log) between the nice-rounded
 * extent of the values; the last bin includes its upper edge.
 *
 * @example
 * histogram([1, 2, 2, 3], 2, 'linear').counts; // Float64Array [3, 1] over edges [1, 2, 3]
 */
export function histogram(values: ArrayLike<number>, bins: number, type: ScaleType): Histogram {
  const extent = extentOf(values, type);
  if (!extent)
    return { edges: new Float64Array(0), counts: new Float64Array(0), dropped: values.length };
  const [lo, hi] = continuousScale(type, extent, [0, 1], { ticks: bins }).domain;
  const edges = new Float64Array(bins + 1);
  const log = type === 'log';
  const a = log ? Math.log10(lo) : lo;
  const b = log ? Math.log10(hi) : hi;
  for (let k = 0; k <= bins; k++) {
    const t = a + ((b - a) * k) / bins;
    edges[k] = log ? 10 ** t : t;
  }
  const counts = new Float64Array(bins);
  let dropped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || (log && v <= 0)) {
      dropped++;
      continue;
    }
    const t = ((log ? Math.log10(v) : v) - a) / (b - a);
    counts[Math.min(bins - 1, Math.max(0, Math.floor(t * bins)))]! += 1;
  }
  return { edges, counts, dropped };
}

function median(values: ArrayLike<number>, type: ScaleType): number {
  const kept = Array.from(values).filter((v) => Number.isFinite(v) && (type === 'linear' || v > 0));
  if (kept.length === 0) return Number.NaN;
  kept.sort((p, q) => p - q);
  const m = kept.length >> 1;
  return kept.length % 2 ? kept[m]! : (kept[m - 1]! + kept[m]!) / 2;
}

/** The {@link ChartSpec} of {@link lossHistogramChart}. */
export function lossHistogramChartSpec(options: LossHistogramOptions): ChartSpec {
  const fn = 'lossHistogramChart';
  checkOptions(fn, options);
  const losses = assertArrayLike(fn, 'losses', options.losses);
  if (
    options.bins !== undefined &&
    (!Number.isInteger(options.bins) || options.bins < 1 || options.bins > 1000)
  ) {
    throw invalid(fn, 'bins', options.bins, 'an integer in [1, 1000]');
  }
  const positive = extentOf(losses, 'log');
  const all = extentOf(losses, 'linear');
  const autoLog =
    positive !== undefined && all !== undefined && all[0] > 0 && positive[1] / positive[0] >= 100;
  const type: ScaleType = (options.log ?? autoLog) ? 'log' : 'linear';
  const finite = losses.length;
  const bins =
    options.bins ?? Math.min(50, Math.max(5, Math.ceil(Math.log2(Math.max(1, finite)) + 1)));
  const h = histogram(losses, bins, type);
  const marks: Mark[] = [
    rectsMark(fn, 'losses', {
      x1: h.edges.subarray(0, bins),
      x2: h.edges.subarray(1),
      y2: h.counts,
    }),
  ];
  const m = median(losses, type);
  if (options.median !== false && Number.isFinite(m) && h.counts.length > 0) {
    marks.push(ruleX(m, { label: `median ${format('.3~g')(m)}` }));
  }
  let subtitle = options.subtitle;
  if (h.dropped > 0 && h.counts.length > 0) {
    let nonFinite = 0;
    for (let i = 0; i < losses.length; i++) if (!Number.isFinite(losses[i]!)) nonFinite++;
    const why = [
      nonFinite > 0 ? `${nonFinite} non-finite` : '',
      h.dropped > nonFinite ? `${h.dropped - nonFinite} ≤ 0 on the log axis` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const note = `${h.dropped} of ${losses.length} losses not shown (${why})`;
    subtitle = subtitle ? `${subtitle} · ${note}` : note;
  }
  return {
    ...common({ ...options, subtitle }, { label: 'final loss', type }, { label: 'runs' }),
    marks,
  };
}

/**
 * The distribution of final losses over many initialisations, as a histogram (log-spaced bins when
 * the losses span two decades or more) with the median marked; runs that diverged (non-finite
 * loss) are counted in the subtitle instead of breaking the chart.
 *
 * @example
 * const losses = Float64Array.from({ length: 200 }, (_, i) => 10 ** (-4 + 3 * ((i * 0.618) % 1)));
 * const svg = lossHistogramChart({ losses });
 */
export function lossHistogramChart(options: LossHistogramOptions): string {
  return draw('lossHistogramChart', lossHistogramChartSpec(options));
}
