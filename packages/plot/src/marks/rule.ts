import { invalid } from '../errors.js';
import type { ContinuousScale, ScaleType } from '../scales.js';
import { attrs, num, richText } from '../svg.js';
import { dashArray } from './line.js';
import type { Mark } from './types.js';

/** Options of {@link ruleY} and {@link ruleX}. */
export interface RuleOptions {
  /** Text written next to the line (at its right end for ruleY, its top for ruleX). */
  readonly label?: string;
  /** CSS colour; default: the theme's muted text colour. */
  readonly color?: string;
  /** Dashed by default; `false` for solid, or an SVG dash array. */
  readonly dash?: boolean | string;
}

function rule(kind: 'ruleX' | 'ruleY', value: number, options: RuleOptions): Mark {
  const fn = kind;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(fn, 'value', value, 'a finite number');
  }
  const along = kind === 'ruleY' ? 'y' : 'x';
  return {
    kind,
    seriesCount: 0,
    isData: false,
    extent(axis: 'x' | 'y', type: ScaleType) {
      if (axis !== along || (type === 'log' && value <= 0)) return undefined;
      return [value, value];
    },
    legend: () => [],
    render(ctx) {
      const { left, top, width, height } = ctx.plot;
      const color = options.color ?? ctx.theme.muted;
      const dash = dashArray(options.dash ?? true);
      const p = kind === 'ruleY' ? ctx.y.map(value) : (ctx.x as ContinuousScale).map(value);
      if (!Number.isFinite(p)) return '';
      const lineAttrs =
        kind === 'ruleY'
          ? { x1: left, x2: left + width, y1: p, y2: p }
          : { x1: p, x2: p, y1: top, y2: top + height };
      let out = `<line${attrs({ ...lineAttrs, stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': dash })}/>`;
      if (options.label) {
        const pos =
          kind === 'ruleY'
            ? `x="${num(left + width - 6)}" y="${num(p - 5)}" text-anchor="end"`
            : `x="${num(p + 5)}" y="${num(top + 14)}" text-anchor="start"`;
        out += `<text ${pos}${attrs({ fill: color, 'font-size': 12 })}>${richText(options.label)}</text>`;
      }
      return out;
    },
  };
}

/**
 * A horizontal reference line at `y = value` spanning the plot, with an optional label.
 *
 * @example
 * chart({ marks: [line(series), ruleY(1e-3, { label: 'tolerance' })], y: { type: 'log' } });
 */
export function ruleY(value: number, options: RuleOptions = {}): Mark {
  return rule('ruleY', value, options);
}

/**
 * A vertical reference line at `x = value` spanning the plot, with an optional label.
 *
 * @example
 * chart({ marks: [line(series), ruleX(0, { label: 'x = 0' })] });
 */
export function ruleX(value: number, options: RuleOptions = {}): Mark {
  return rule('ruleX', value, options);
}
