import {
  type AxisOptions,
  type ChartSpec,
  checkSpec,
  type LegendPosition,
  layoutChart,
  renderChart,
} from '../chart.js';
import { invalid } from '../errors.js';
import type { ThemeOption } from '../themes.js';

/** Options every figure accepts (passed through to {@link ChartSpec}). */
export interface CommonOptions {
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  readonly subtitle?: string;
  readonly theme?: ThemeOption;
  readonly legend?: LegendPosition;
  readonly emptyMessage?: string;
  readonly id?: string;
  /** Axis options; a figure's defaults (labels, log scales) are merged under these. */
  readonly xAxis?: AxisOptions;
  readonly yAxis?: AxisOptions;
}

/** The spec fields of the common options, with axis defaults merged under the user's. */
export function common(
  options: CommonOptions,
  x: AxisOptions,
  y: AxisOptions,
): Omit<ChartSpec, 'marks'> {
  const { width, height, title, subtitle, theme, legend, emptyMessage, id } = options;
  return {
    width,
    height,
    title,
    subtitle,
    theme,
    legend,
    emptyMessage,
    id,
    x: { ...x, ...options.xAxis },
    y: { ...y, ...options.yAxis },
  };
}

/** Throws unless `options` is an object. */
export function checkOptions(fn: string, options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalid(fn, 'options', options, 'an object');
  }
}

/** Checks a figure's spec and renders it; `fn` names the figure in messages. */
export function draw(fn: string, spec: ChartSpec): string {
  checkSpec(fn, spec);
  return renderChart(spec, layoutChart(spec));
}
