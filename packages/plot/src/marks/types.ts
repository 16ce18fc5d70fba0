import type { BandScale, ContinuousScale, ScaleType } from '../scales.js';
import type { Theme } from '../themes.js';

/** The plot area in pixels. */
export interface PlotRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** What a mark needs to draw itself. */
export interface RenderContext {
  readonly x: ContinuousScale | BandScale;
  readonly y: ContinuousScale;
  readonly theme: Theme;
  readonly plot: PlotRect;
  /** Palette colour of this mark's series `i` (series colours run on across marks). */
  color(i: number): string;
}

/** Point symbols; each series of points gets the next one, so colour is never the only cue. */
export type SymbolName = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross';

/** One row of the legend. */
export interface LegendEntry {
  readonly label: string;
  readonly color: string;
  readonly swatch: 'line' | 'symbol' | 'box';
  readonly dash?: string | undefined;
  readonly symbol?: SymbolName | undefined;
  readonly strokeWidth?: number | undefined;
  readonly opacity?: number | undefined;
}

/** A mark's data as a table: the text alternative of the chart (see `chartTable`). */
export interface MarkTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

/** Kinds of marks. */
export type MarkKind = 'line' | 'points' | 'bars' | 'rects' | 'heatmap' | 'ruleX' | 'ruleY';

/**
 * A layer of a chart. Marks are plain objects made by {@link line}, {@link points}, {@link bars},
 * {@link rects}, {@link heatmap}, {@link ruleX} and {@link ruleY}; a chart asks them for their
 * extents, then for their SVG.
 */
export interface Mark {
  readonly kind: MarkKind;
  /** Number of palette colours the mark takes. */
  readonly seriesCount: number;
  /** Whether the mark is data (false for reference lines: a chart of rules alone is empty). */
  readonly isData: boolean;
  /** Categories of a band x axis (bars only). */
  readonly categories?: readonly string[];
  /** [min, max] of the values the mark shows along an axis of the given type. */
  extent(axis: 'x' | 'y', type: ScaleType): [number, number] | undefined;
  legend(ctx: RenderContext): LegendEntry[];
  /** The mark's SVG elements. */
  render(ctx: RenderContext): string;
  /** The mark's data as a table (absent for reference lines). */
  table?(): MarkTable;
}

/** Pixel coordinates beyond this distance are clamped (keeps paths finite and small). */
export const CLAMP = 1e6;

/** Clamps a pixel coordinate to ±{@link CLAMP}. */
export function clampPx(v: number): number {
  return Math.min(CLAMP, Math.max(-CLAMP, v));
}
