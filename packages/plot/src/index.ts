/**
 * @annlab/plot: the lecture's and the demo's charts as SVG strings, in Node and in the browser.
 * Pure functions from columnar data to SVG; `toPng` for files in Node; `mountChart` for live
 * charts in the browser. Depends on no other annlab package.
 */
export {
  type AxisOptions,
  type ChartSpec,
  type ChartTable,
  chart,
  chartTable,
  type LegendPosition,
} from './chart.js';
export type { CommonOptions } from './charts/common.js';
export {
  type DecisionBoundaryOptions,
  decisionBoundaryChart,
  decisionBoundaryChartSpec,
} from './charts/decisionBoundary.js';
export {
  type DepthComparisonOptions,
  depthComparisonChart,
  depthComparisonChartSpec,
} from './charts/depth.js';
export { type FitChartOptions, fitChart, fitChartSpec, type Target } from './charts/fit.js';
export {
  type GradientBarsOptions,
  gradientBarsChart,
  gradientBarsChartSpec,
} from './charts/gradientBars.js';
export { type LineChartOptions, lineChart, lineChartSpec } from './charts/line.js';
export { type LossChartOptions, type LossRun, lossChart, lossChartSpec } from './charts/loss.js';
export {
  type Histogram,
  histogram,
  type LossHistogramOptions,
  lossHistogramChart,
  lossHistogramChartSpec,
} from './charts/lossHistogram.js';
export { type MountChartOptions, type MountedChart, mountChart } from './dom.js';
export { PlotDataError, PlotError, PlotExportError } from './errors.js';
export { type BarSeries, type BarsData, bars } from './marks/bars.js';
export { type HeatmapData, heatmap } from './marks/heatmap.js';
export { type LineSeries, line } from './marks/line.js';
export { type PointSeries, type PointsOptions, points } from './marks/points.js';
export { type RectsData, rects } from './marks/rects.js';
export { type RuleOptions, ruleX, ruleY } from './marks/rule.js';
export type {
  LegendEntry,
  Mark,
  MarkKind,
  MarkTable,
  PlotRect,
  RenderContext,
  SymbolName,
} from './marks/types.js';
export { type PngOptions, svgToPngBlob, toPng } from './png.js';
export {
  type BandScale,
  bandScale,
  type ContinuousScale,
  continuousScale,
  type ScaleType,
  type Tick,
} from './scales.js';
export { escapeXml, MINUS, mathMinus, richText } from './svg.js';
export { darkTheme, lightTheme, okabeIto, type Theme, type ThemeOption } from './themes.js';
