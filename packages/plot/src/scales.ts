/**
 * Scales map data values to pixels. Domains, nice rounding, ticks and tick formats come from
 * d3-scale and d3-format (which already write negative numbers with U+2212); this module adds what
 * charts need on top: domains from data that may hold NaN, ±Infinity or (on log axes) values ≤ 0,
 * guards for degenerate and overflowing domains, `10⁻³`-style labels on log axes spanning several
 * decades, and `1.5×10¹²` for very large or small linear ticks.
 */
import { format } from 'd3-format';
import { scaleBand, scaleLinear, scaleLog } from 'd3-scale';
import { powerOfTen } from './svg.js';

/** Kind of a continuous axis. */
export type ScaleType = 'linear' | 'log';

/** A tick: its value, pixel position and label (empty for an unlabelled minor tick). */
export interface Tick {
  readonly value: number;
  readonly position: number;
  readonly label: string;
}

/** A continuous scale from data values to pixels. */
export interface ContinuousScale {
  readonly type: ScaleType;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** Pixel of `value`; NaN when the value cannot be shown (non-finite, or ≤ 0 on a log scale). */
  map(value: number): number;
  /** About `count` ticks, labelled. */
  ticks(count: number): Tick[];
}

/** A band scale for categories (bar charts). */
export interface BandScale {
  readonly type: 'band';
  readonly domain: readonly string[];
  readonly range: readonly [number, number];
  /** Width of one band in pixels. */
  readonly bandwidth: number;
  /** Left pixel of band `index`. */
  start(index: number): number;
  ticks(): Tick[];
}

/** Running [min, max] over the values a scale of the given type can show. */
export function extentOf(values: ArrayLike<number>, type: ScaleType): [number, number] | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const log = type === 'log';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Union of extents, ignoring undefined ones. */
export function mergeExtents(
  extents: readonly ([number, number] | undefined)[],
): [number, number] | undefined {
  let out: [number, number] | undefined;
  for (const e of extents) {
    if (!e) continue;
    out = out ? [Math.min(out[0], e[0]), Math.max(out[1], e[1])] : [e[0], e[1]];
  }
  return out;
}

/**
 * Widens an empty (single-value) or numerically degenerate domain so that its values sit in the
 * middle of the axis: ±10 % around a nonzero value, ±1 around zero (or values below 1e-280).
 */
export function widenDomain(type: ScaleType, lo: number, hi: number): [number, number] {
  if (type === 'log') {
    // Below 1e-300 the logs of nice bounds underflow: floor the domain there (smaller values fall
    // below the plot). A span below ~1e-12 relative has no usable ticks: widen it by a decade.
    lo = Math.max(lo, 1e-300);
    hi = Math.max(hi, lo);
    if (hi / lo > 1 + 1e-12) return [lo, hi];
    return hi * 10 < Number.POSITIVE_INFINITY && lo / 10 >= 1e-300
      ? [lo / 10, hi * 10]
      : hi * 10 < Number.POSITIVE_INFINITY
        ? [lo, hi * 100]
        : [lo / 100, hi];
  }
  const size = Math.max(Math.abs(lo), Math.abs(hi));
  if (hi - lo > size * 1e-12 && hi - lo > 1e-290) return [lo, hi];
  const c = lo / 2 + hi / 2;
  const pad = size < 1e-280 ? 1 : Math.abs(c) * 0.1;
  return [c - pad, c + pad];
}

/** Whether `hi - lo` overflows; then d3 works on the halved domain and results are doubled. */
function overflows(lo: number, hi: number): boolean {
  return !Number.isFinite(hi - lo);
}

const scientific = format('.2~e');

const SCIENTIFIC = /^(−|-)?(\d+(?:\.\d+)?)e([+−-]?)(\d+)$/;

/** `1.5e+12` → `1.5×10¹²`, `1e−7` → `1×10⁻⁷`, `0e+0` → `0`. */
function prettyExponent(label: string): string {
  const m = SCIENTIFIC.exec(label);
  if (!m) return label;
  const sign = m[1] ? '\u2212' : '';
  const exponent = Number((m[3] === '+' || m[3] === '' ? '' : '-') + m[4]);
  const mantissa = m[2]!;
  return Number(mantissa) === 0 ? '0' : `${sign}${mantissa}×${powerOfTen(exponent)}`;
}

/**
 * A linear or log scale over `domain` onto the pixel `range`, rounded outward to nice values unless
 * `nice` is false. A domain with lo = hi is widened; log domains must be positive.
 *
 * @example
 * const s = continuousScale('linear', [0.5, 3], [0, 600]);
 * s.domain; // [0.5, 3]
 * s.map(1.75); // 300
 */
export function continuousScale(
  type: ScaleType,
  domain: readonly [number, number],
  range: readonly [number, number],
  options: { nice?: boolean; ticks?: number } = {},
): ContinuousScale {
  let [lo, hi] = widenDomain(type, domain[0], domain[1]);
  const count = options.ticks ?? 5;
  const half = type === 'linear' && overflows(lo, hi);
  if (options.nice !== false) {
    if (type === 'log') {
      const d = scaleLog().domain([lo, hi]).nice().domain();
      if (Number.isFinite(d[0]) && Number.isFinite(d[1]) && d[0]! > 0) [lo, hi] = [d[0]!, d[1]!];
    } else {
      const f = half ? 2 : 1;
      const d = scaleLinear()
        .domain([lo / f, hi / f])
        .nice(count)
        .domain();
      const nlo = d[0]! * f;
      const nhi = d[1]! * f;
      if (Number.isFinite(nlo) && Number.isFinite(nhi)) [lo, hi] = [nlo, nhi];
    }
  }
  const [r0, r1] = range;
  const map =
    type === 'log'
      ? (() => {
          const l0 = Math.log(lo);
          const span = Math.log(hi) - l0;
          return (v: number) =>
            v > 0 && Number.isFinite(v) ? r0 + ((Math.log(v) - l0) / span) * (r1 - r0) : Number.NaN;
        })()
      : (() => {
          const h0 = lo / 2;
          const span = hi / 2 - h0;
          return (v: number) =>
            Number.isFinite(v) ? r0 + ((v / 2 - h0) / span) * (r1 - r0) : Number.NaN;
        })();
  const ticks = (n: number): Tick[] => {
    const out: Tick[] = [];
    if (type === 'log') {
      const s = scaleLog().domain([lo, hi]);
      const decades = Math.log10(hi / lo);
      const values = s.ticks(n);
      const fmt = s.tickFormat(n, '~g');
      let labelled = 0;
      for (const v of values) {
        const exponent = Math.round(Math.log10(v));
        const isPower = Math.abs(v / 10 ** exponent - 1) < 1e-9;
        let label = '';
        if (decades >= 2.5) {
          if (isPower) label = powerOfTen(exponent);
        } else label = prettyExponent(fmt(v));
        if (label) labelled++;
        out.push({ value: v, position: map(v), label });
      }
      // Too few labels (a short span between powers of ten): label every tick.
      if (labelled < 2) {
        const g = scaleLinear().domain([lo, hi]).tickFormat(n, '~g');
        return out.map((t) => ({ ...t, label: prettyExponent(g(t.value)) }));
      }
      return out;
    }
    const f = half ? 2 : 1;
    const s = scaleLinear().domain([lo / f, hi / f]);
    const big = Math.max(Math.abs(lo), Math.abs(hi));
    const small = big < 1e-3 && big > 0;
    const fmt = s.tickFormat(n, big >= 1e6 || small ? '~e' : undefined);
    for (const h of s.ticks(n)) {
      const v = h * f;
      if (!Number.isFinite(v)) continue;
      const label = f === 1 ? fmt(h) : scientific(v);
      out.push({ value: v, position: map(v), label: prettyExponent(label) });
    }
    return out;
  };
  return { type, domain: [lo, hi], range: [r0, r1], map, ticks };
}

/**
 * A band scale: one band per category over `range`, with 20 % padding between bands.
 *
 * @example
 * bandScale(['1', '2', '3'], [0, 300]).bandwidth; // ≈ 77.4
 */
export function bandScale(
  categories: readonly string[],
  range: readonly [number, number],
): BandScale {
  const s = scaleBand<number>()
    .domain(categories.map((_, i) => i))
    .range([range[0], range[1]])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const bandwidth = s.bandwidth();
  const start = (i: number) => s(i) ?? Number.NaN;
  return {
    type: 'band',
    domain: categories,
    range: [range[0], range[1]],
    bandwidth,
    start,
    ticks: () =>
      categories.map((c, i) => ({ value: i, position: start(i) + bandwidth / 2, label: c })),
  };
}
