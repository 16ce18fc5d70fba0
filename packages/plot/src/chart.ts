/**
 * The general chart: marks on two scales, with axes, grid, legend, title and an empty-data message,
 * rendered to an SVG string without a DOM. Every figure in `charts/` builds a {@link ChartSpec} and
 * calls {@link chart}; the browser helper `mountChart` reuses the same pieces to update in place.
 */
import { invalid } from './errors.js';
import { symbolPath } from './marks/points.js';
import type { LegendEntry, Mark, PlotRect, RenderContext } from './marks/types.js';
import {
  type BandScale,
  bandScale,
  type ContinuousScale,
  continuousScale,
  mergeExtents,
  type ScaleType,
  type Tick,
} from './scales.js';
import { attrs, escapeXml, num, richText, textWidth } from './svg.js';
import { resolveTheme, type Theme, type ThemeOption } from './themes.js';

/** Options of one axis. */
export interface AxisOptions {
  /** Axis title; unicode math such as `−3x + 2` or `log x` is rendered with italic variables. */
  readonly label?: string;
  /** `'linear'` (default) or `'log'` (values ≤ 0 are then gaps). Ignored on a category axis. */
  readonly type?: ScaleType;
  /** Fixed domain; default: the data's extent. */
  readonly domain?: readonly [number, number];
  /** Round the domain outward to nice values (default true; never applied to a fixed domain). */
  readonly nice?: boolean;
  /** Approximate number of ticks (default: from the axis length). */
  readonly ticks?: number;
  /** Grid lines at the ticks (default true, false on a category axis). */
  readonly grid?: boolean;
  /** Tick label format (default: d3-format, U+2212 minus, `10⁻³` on log axes). */
  readonly format?: (value: number) => string;
}

/**
 * Where the legend sits: `'top'` (default) in rows above the plot, where it never covers data; a
 * corner inside the plot; or `'none'`.
 */
export type LegendPosition =
  | 'top'
  | 'top-right'
  | 'top-left'
  | 'bottom-right'
  | 'bottom-left'
  | 'none';

/** A chart: marks plus layout options. */
export interface ChartSpec {
  readonly marks: readonly Mark[];
  /** Pixels (default 640 × 400). */
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  /**
   * The chart's accessible name (the SVG's `<title>` and `aria-label`) when it differs from the
   * visible title, e.g. a caption drawn outside the SVG; default the title, else `'chart'`.
   */
  readonly label?: string;
  readonly subtitle?: string;
  readonly x?: AxisOptions;
  readonly y?: AxisOptions;
  /** `'light'` (default), `'dark'` or a {@link Theme}. */
  readonly theme?: ThemeOption;
  /** Default `'top'`. */
  readonly legend?: LegendPosition;
  /** Shown when no mark has data (default `'No data'`). */
  readonly emptyMessage?: string;
  /** Prefix of element ids (clip path); default: derived from the chart's content. */
  readonly id?: string;
}

/** Everything needed to draw a chart's parts: sizes, scales, theme. */
export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly plot: PlotRect;
  readonly x: ContinuousScale | BandScale;
  readonly y: ContinuousScale;
  readonly theme: Theme;
  /** True when no mark has data to show. */
  readonly empty: boolean;
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  /** Render context of each mark (palette offset applied). */
  readonly contexts: readonly RenderContext[];
  /** Legend entries, and for a `'top'` legend their positions (x, y of the swatch's centre). */
  readonly legend: readonly LegendEntry[];
  readonly legendSlots: readonly { readonly x: number; readonly y: number }[];
}

const LEGENDS = new Set(['top', 'top-right', 'top-left', 'bottom-right', 'bottom-left', 'none']);
const TICK_FONT = 12;
const LABEL_FONT = 13;
const TITLE_FONT = 16;
const LEGEND_ROW = 19;
const LEGEND_SWATCH = 22;

function checkSize(fn: string, arg: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 50 || v > 20000) {
    throw invalid(fn, arg, v, 'a number of pixels in [50, 20000]');
  }
  return v;
}

function checkAxis(fn: string, arg: string, a: AxisOptions | undefined): void {
  if (a === undefined) return;
  if (a === null || typeof a !== 'object') throw invalid(fn, arg, a, 'an object');
  if (a.type !== undefined && a.type !== 'linear' && a.type !== 'log') {
    throw invalid(fn, `${arg}.type`, a.type, "'linear' or 'log'");
  }
  if (a.domain !== undefined) {
    const d = a.domain;
    const log = a.type === 'log';
    if (
      !Array.isArray(d) ||
      d.length !== 2 ||
      !d.every(Number.isFinite) ||
      !(d[0] < d[1]) ||
      (log && !(d[0] > 0))
    ) {
      throw invalid(
        fn,
        `${arg}.domain`,
        d,
        log ? 'a pair [lo, hi] with 0 < lo < hi' : 'a pair [lo, hi] of finite numbers with lo < hi',
      );
    }
  }
  if (a.ticks !== undefined && (!Number.isInteger(a.ticks) || a.ticks < 0 || a.ticks > 100)) {
    throw invalid(fn, `${arg}.ticks`, a.ticks, 'an integer in [0, 100]');
  }
  if (a.label !== undefined && typeof a.label !== 'string') {
    throw invalid(fn, `${arg}.label`, a.label, 'a string');
  }
}

/** Validates a chart spec at the boundary; `fn` names the public function in messages. */
export function checkSpec(fn: string, spec: ChartSpec): void {
  if (spec === null || typeof spec !== 'object') throw invalid(fn, 'spec', spec, 'an object');
  if (!Array.isArray(spec.marks)) throw invalid(fn, 'marks', spec.marks, 'an array of marks');
  spec.marks.forEach((m, i) => {
    if (m === null || typeof m !== 'object' || typeof (m as Mark).render !== 'function') {
      throw invalid(
        fn,
        `marks[${i}]`,
        m,
        'a mark (from line, points, bars, rects, heatmap, ruleX, ruleY)',
      );
    }
  });
  checkSize(fn, 'width', spec.width, 640);
  checkSize(fn, 'height', spec.height, 400);
  checkAxis(fn, 'x', spec.x);
  checkAxis(fn, 'y', spec.y);
  if (spec.legend !== undefined && !LEGENDS.has(spec.legend)) {
    throw invalid(
      fn,
      'legend',
      spec.legend,
      `one of ${[...LEGENDS].map((s) => `'${s}'`).join(', ')}`,
    );
  }
  for (const key of ['title', 'label', 'subtitle', 'emptyMessage', 'id'] as const) {
    if (spec[key] !== undefined && typeof spec[key] !== 'string') {
      throw invalid(fn, key, spec[key], 'a string');
    }
  }
  if (spec.id !== undefined && !/^[A-Za-z][\w-]*$/.test(spec.id)) {
    throw invalid(fn, 'id', spec.id, 'a letter followed by letters, digits, _ or -');
  }
  if (
    spec.theme !== undefined &&
    spec.theme !== 'light' &&
    spec.theme !== 'dark' &&
    (typeof spec.theme !== 'object' || !Array.isArray(spec.theme.palette))
  ) {
    throw invalid(fn, 'theme', spec.theme, "'light', 'dark' or a Theme object");
  }
}

function defaultDomain(type: ScaleType): [number, number] {
  return type === 'log' ? [1, 10] : [0, 1];
}

/**
 * Computes sizes and scales of a chart (the spec must have passed {@link checkSpec}).
 *
 * Steps: top margin from title/subtitle; bottom margin from the x label; y scale over the data's
 * y extent (or the fixed domain) on the plot height; left margin from the widest y tick label; x
 * scale (band when a mark has categories) on the remaining width; palette offsets per mark.
 */
export function layoutChart(spec: ChartSpec): ChartLayout {
  const width = spec.width ?? 640;
  const height = spec.height ?? 400;
  const theme = resolveTheme(spec.theme);
  const marks = spec.marks;
  const xType: ScaleType = spec.x?.type ?? 'linear';
  const yType: ScaleType = spec.y?.type ?? 'linear';
  const categories = marks.find((m) => m.categories)?.categories;
  const dataMarks = marks.filter((m) => m.isData);
  const xData = categories ? undefined : mergeExtents(dataMarks.map((m) => m.extent('x', xType)));
  const yData = mergeExtents(dataMarks.map((m) => m.extent('y', yType)));
  const empty =
    yData === undefined || (!categories && xData === undefined) || categories?.length === 0;

  // Palette offsets per mark, then legend entries (they need only the theme and colours).
  const colors: ((i: number) => string)[] = [];
  let offset = 0;
  for (const m of marks) {
    const base = offset;
    colors.push((i: number) => theme.palette[(base + i) % theme.palette.length]!);
    offset += m.seriesCount;
  }
  const position = spec.legend ?? 'top';
  const legend =
    position === 'none' || empty
      ? []
      : marks.flatMap((m, i) => m.legend({ theme, color: colors[i]! } as RenderContext));

  let top = 12 + (spec.title ? 26 : 0) + (spec.subtitle ? 18 : 0);
  const legendSlots: { x: number; y: number }[] = [];
  if (position === 'top' && legend.length > 0) {
    // Flow the entries in rows across the chart's width.
    let lx = 12;
    let row = 0;
    top += 4;
    for (const e of legend) {
      const w = LEGEND_SWATCH + 6 + textWidth(e.label, TICK_FONT) + 18;
      if (lx > 12 && lx + w > width - 12) {
        lx = 12;
        row++;
      }
      legendSlots.push({ x: lx, y: top + row * LEGEND_ROW + LEGEND_ROW / 2 });
      lx += w;
    }
    top += (row + 1) * LEGEND_ROW + 6;
  }
  const bottom = 30 + (spec.x?.label ? 22 : 0);
  let right = 18;
  const plotHeight = Math.max(10, height - top - bottom);

  const yExtent = empty ? undefined : mergeExtents(marks.map((m) => m.extent('y', yType)));
  const yDomain = spec.y?.domain ?? yExtent ?? defaultDomain(yType);
  const yCount = spec.y?.ticks ?? Math.max(2, Math.round(plotHeight / 55));
  const y = continuousScale(yType, yDomain, [top + plotHeight, top], {
    nice: spec.y?.domain ? false : spec.y?.nice !== false,
    ticks: yCount,
  });
  const yTicks = labelTicks(y.ticks(yCount), spec.y?.format);
  const widest = Math.max(0, ...yTicks.map((t) => textWidth(t.label, TICK_FONT)));
  const left = Math.ceil(12 + (spec.y?.label ? 22 : 0) + widest + 8);

  let x: ContinuousScale | BandScale;
  let xTicks: Tick[];
  let plotWidth = Math.max(10, width - left - right);
  if (categories) {
    x = bandScale(categories, [left, left + plotWidth]);
    xTicks = x.ticks();
  } else {
    const xExtent = empty ? undefined : mergeExtents(marks.map((m) => m.extent('x', xType)));
    const xDomain = spec.x?.domain ?? xExtent ?? defaultDomain(xType);
    const makeX = () => {
      const count = spec.x?.ticks ?? Math.max(2, Math.round(plotWidth / 90));
      const s = continuousScale(xType, xDomain, [left, left + plotWidth], {
        nice: spec.x?.domain ? false : spec.x?.nice !== false,
        ticks: count,
      });
      return { s, ticks: labelTicks(s.ticks(count), spec.x?.format) };
    };
    let made = makeX();
    // A label at the right end would overflow the chart: widen the right margin to hold it.
    const last = made.ticks.filter((t) => t.label !== '').at(-1);
    const overhang = last ? last.position + textWidth(last.label, TICK_FONT) / 2 + 8 - width : 0;
    if (overhang > 0) {
      right += overhang;
      plotWidth = Math.max(10, width - left - right);
      made = makeX();
    }
    x = made.s;
    xTicks = made.ticks;
  }
  const plot: PlotRect = { left, top, width: plotWidth, height: plotHeight };
  const contexts: RenderContext[] = marks.map((_, i) => ({ x, y, theme, plot, color: colors[i]! }));
  return {
    width,
    height,
    plot,
    x,
    y,
    theme,
    empty,
    xTicks,
    yTicks,
    contexts,
    legend,
    legendSlots,
  };
}

function labelTicks(ticks: Tick[], format: ((v: number) => string) | undefined): Tick[] {
  if (!format) return ticks;
  return ticks.map((t) => ({ ...t, label: t.label === '' ? '' : String(format(t.value)) }));
}

/** The grid lines group content. */
export function renderGrid(spec: ChartSpec, layout: ChartLayout): string {
  const { plot, theme } = layout;
  let d = '';
  if (spec.y?.grid !== false) {
    for (const t of layout.yTicks) {
      if (t.label === '' || !Number.isFinite(t.position)) continue;
      d += `M${num(plot.left)},${num(t.position)}h${num(plot.width)}`;
    }
  }
  if (spec.x?.grid ?? layout.x.type !== 'band') {
    for (const t of layout.xTicks) {
      if (t.label === '' || !Number.isFinite(t.position)) continue;
      d += `M${num(t.position)},${num(plot.top)}v${num(plot.height)}`;
    }
  }
  return d ? `<path${attrs({ d, stroke: theme.grid, 'stroke-width': 1, fill: 'none' })}/>` : '';
}

/** The x axis group content: axis line, ticks, tick labels, axis title. */
export function renderXAxis(spec: ChartSpec, layout: ChartLayout): string {
  const { plot, theme } = layout;
  const base = plot.top + plot.height;
  let ticks = '';
  let labels = '';
  const band = layout.x.type === 'band';
  for (const t of layout.xTicks) {
    if (!Number.isFinite(t.position)) continue;
    ticks += `M${num(t.position)},${num(base)}v${t.label === '' ? 3 : 5}`;
    if (t.label !== '') {
      labels += `<text x="${num(t.position)}" y="${num(base + 19)}">${band ? richText(t.label) : escapeXml(t.label)}</text>`;
    }
  }
  let out = `<path${attrs({ d: `M${num(plot.left)},${num(base)}h${num(plot.width)}${ticks}`, stroke: theme.foreground, fill: 'none' })}/>`;
  out += `<g${attrs({ fill: theme.muted, 'text-anchor': 'middle', 'font-size': TICK_FONT })}>${labels}</g>`;
  if (spec.x?.label) {
    out += `<text${attrs({ x: plot.left + plot.width / 2, y: base + 42, 'text-anchor': 'middle', fill: theme.foreground, 'font-size': LABEL_FONT })}>${richText(spec.x.label)}</text>`;
  }
  return out;
}

/** The y axis group content. */
export function renderYAxis(spec: ChartSpec, layout: ChartLayout): string {
  const { plot, theme } = layout;
  let ticks = '';
  let labels = '';
  for (const t of layout.yTicks) {
    if (!Number.isFinite(t.position)) continue;
    const len = t.label === '' ? 3 : 5;
    ticks += `M${num(plot.left - len)},${num(t.position)}h${len}`;
    if (t.label !== '') {
      labels += `<text x="${num(plot.left - 8)}" y="${num(t.position)}" dy="0.32em">${escapeXml(t.label)}</text>`;
    }
  }
  let out = `<path${attrs({ d: `M${num(plot.left)},${num(plot.top)}v${num(plot.height)}${ticks}`, stroke: theme.foreground, fill: 'none' })}/>`;
  out += `<g${attrs({ fill: theme.muted, 'text-anchor': 'end', 'font-size': TICK_FONT })}>${labels}</g>`;
  if (spec.y?.label) {
    const cx = 16;
    const cy = plot.top + plot.height / 2;
    out += `<text${attrs({ transform: `rotate(-90 ${num(cx)} ${num(cy)})`, x: cx, y: cy, dy: '0.32em', 'text-anchor': 'middle', fill: theme.foreground, 'font-size': LABEL_FONT })}>${richText(spec.y.label)}</text>`;
  }
  return out;
}

/** The title group content. */
export function renderTitle(spec: ChartSpec, layout: ChartLayout): string {
  let out = '';
  const x = 12;
  if (spec.title) {
    out += `<text${attrs({ x, y: 26, fill: layout.theme.foreground, 'font-size': TITLE_FONT, 'font-weight': 600 })}>${richText(spec.title)}</text>`;
  }
  if (spec.subtitle) {
    out += `<text${attrs({ x, y: spec.title ? 46 : 26, fill: layout.theme.muted, 'font-size': TICK_FONT })}>${richText(spec.subtitle)}</text>`;
  }
  return out;
}

function swatch(e: LegendEntry, x: number, y: number): string {
  if (e.swatch === 'line') {
    return `<line${attrs({ x1: x, x2: x + LEGEND_SWATCH, y1: y, y2: y, stroke: e.color, 'stroke-width': e.strokeWidth ?? 2.5, 'stroke-opacity': e.opacity === undefined ? undefined : String(e.opacity), 'stroke-dasharray': e.dash })}/>`;
  }
  if (e.swatch === 'symbol') {
    return `<path${attrs({ d: symbolPath(e.symbol ?? 'circle', x + 11, y, 4.5), fill: e.color })}/>`;
  }
  return `<rect${attrs({ x: x + 4, y: y - 6, width: 14, height: 12, fill: e.color })}/>`;
}

/** The legend group content (empty when no mark has named series or the legend is off). */
export function renderLegend(spec: ChartSpec, layout: ChartLayout): string {
  const position = spec.legend ?? 'top';
  const entries = layout.legend;
  if (entries.length === 0) return '';
  const { plot, theme } = layout;
  if (position === 'top') {
    let out = '';
    entries.forEach((e, k) => {
      const { x, y } = layout.legendSlots[k]!;
      out += swatch(e, x, y);
      out += `<text${attrs({ x: x + LEGEND_SWATCH + 6, y, dy: '0.32em', fill: theme.foreground, 'font-size': TICK_FONT })}>${richText(e.label)}</text>`;
    });
    return out;
  }
  const row = 19;
  const w = 22 + 8 + Math.max(...entries.map((e) => textWidth(e.label, TICK_FONT))) + 16;
  const h = entries.length * row + 10;
  const x = position.endsWith('left') ? plot.left + 10 : plot.left + plot.width - w - 10;
  const y = position.startsWith('top') ? plot.top + 10 : plot.top + plot.height - h - 10;
  let out = `<rect${attrs({ x, y, width: w, height: h, rx: 4, fill: theme.background, 'fill-opacity': '0.88', stroke: theme.grid })}/>`;
  entries.forEach((e, k) => {
    const cy = y + 5 + row * k + row / 2;
    out += swatch(e, x + 8, cy);
    out += `<text${attrs({ x: x + 38, y: cy, dy: '0.32em', fill: theme.foreground, 'font-size': TICK_FONT })}>${richText(e.label)}</text>`;
  });
  return out;
}

/** The message group content: the empty-data message, or nothing. */
export function renderMessage(spec: ChartSpec, layout: ChartLayout): string {
  if (!layout.empty) return '';
  const { plot, theme } = layout;
  return `<text${attrs({ x: plot.left + plot.width / 2, y: plot.top + plot.height / 2, dy: '0.32em', 'text-anchor': 'middle', fill: theme.muted, 'font-size': LABEL_FONT })}>${richText(spec.emptyMessage ?? 'No data')}</text>`;
}

/** The SVG of mark `i` (empty when the chart is empty). */
export function renderMark(spec: ChartSpec, layout: ChartLayout, i: number): string {
  if (layout.empty) return '';
  return spec.marks[i]!.render(layout.contexts[i]!);
}

/** FNV-1a hash of a string, base 36 (deterministic ids). */
export function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** Renders the whole chart from a checked spec and its layout. */
export function renderChart(spec: ChartSpec, layout: ChartLayout, fixedId?: string): string {
  const { width, height, plot, theme } = layout;
  const marks = spec.marks
    .map((m, i) => `<g data-mark="${i}" data-kind="${m.kind}">${renderMark(spec, layout, i)}</g>`)
    .join('');
  const id =
    fixedId ?? spec.id ?? `annlab-${hashString(marks + (spec.title ?? '') + width + height)}`;
  const clip = `${id}-clip`;
  const label = spec.label ?? spec.title ?? 'chart';
  return (
    `<svg${attrs({ xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${num(width)} ${num(height)}`, role: 'img', 'aria-label': label, 'font-family': theme.fontFamily, 'font-size': TICK_FONT, 'data-theme': theme.name })}>` +
    `<title>${escapeXml(label)}</title>` +
    `<defs><clipPath id="${clip}"><rect${attrs({ 'data-role': 'clip', x: plot.left, y: plot.top, width: plot.width, height: plot.height })}/></clipPath></defs>` +
    `<rect${attrs({ width, height, fill: theme.background })}/>` +
    `<g data-role="title">${renderTitle(spec, layout)}</g>` +
    `<g data-role="grid">${renderGrid(spec, layout)}</g>` +
    `<g data-role="marks" clip-path="url(#${clip})">${marks}</g>` +
    `<g data-role="x-axis">${renderXAxis(spec, layout)}</g>` +
    `<g data-role="y-axis">${renderYAxis(spec, layout)}</g>` +
    `<g data-role="legend">${renderLegend(spec, layout)}</g>` +
    `<g data-role="message">${renderMessage(spec, layout)}</g>` +
    '</svg>'
  );
}

/** One data mark of a chart as a table (see {@link chartTable}). */
export interface ChartTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

/**
 * The data a chart shows, one table per data mark: its text alternative. Columns `x` and `y` take
 * the axis labels when the spec has them; reference lines are left out.
 *
 * @example
 * ```ts
 * const tables = chartTable(lossChartSpec({ runs: { name: 'loss', loss: [1, 0.5] } }));
 * tables[0].rows; // [['loss', 1, 1], ['loss', 2, 0.5]]
 * ```
 */
export function chartTable(spec: ChartSpec): ChartTable[] {
  checkSpec('chartTable', spec);
  const rename = (c: string) =>
    c === 'x' && spec.x?.label ? spec.x.label : c === 'y' && spec.y?.label ? spec.y.label : c;
  const out: ChartTable[] = [];
  for (const m of spec.marks) {
    const t = m.isData ? m.table?.() : undefined;
    if (t) out.push({ columns: t.columns.map(rename), rows: t.rows });
  }
  return out;
}

/**
 * Renders marks on scales to a standalone SVG string (no DOM needed).
 *
 * @example
 * import { chart, line, ruleY } from '@annlab/plot';
 * const x = Float64Array.from({ length: 50 }, (_, i) => 0.5 + (2.5 * i) / 49);
 * const svg = chart({
 *   title: 'f(x) = −3x + 2',
 *   x: { label: 'x' },
 *   y: { label: 'y' },
 *   marks: [line({ name: '−3x + 2', x, y: x.map((v) => -3 * v + 2) }), ruleY(0)],
 * });
 */
export function chart(spec: ChartSpec): string {
  checkSpec('chart', spec);
  return renderChart(spec, layoutChart(spec));
}
