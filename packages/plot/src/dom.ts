/**
 * The browser helper: mounts a chart into an element once, then updates it in place while a network
 * trains. An update recomputes the layout with the same pure functions as {@link chart}, rewrites
 * only the `d` attribute of each line's path, and replaces the SVG of the axes, grid, legend or
 * other marks only when their markup changed; the number of DOM nodes stays constant. Long series
 * are decimated to about 4 points per pixel column (see `linePath`).
 */
import {
  type ChartLayout,
  type ChartSpec,
  checkSpec,
  layoutChart,
  renderChart,
  renderGrid,
  renderLegend,
  renderMark,
  renderMessage,
  renderTitle,
  renderXAxis,
  renderYAxis,
} from './chart.js';
import { invalid, PlotError } from './errors.js';
import type { LineMark } from './marks/line.js';
import { num } from './svg.js';

/** A chart mounted in the DOM. */
export interface MountedChart {
  /** The chart's root `<svg>` element. */
  readonly svg: SVGSVGElement;
  /**
   * Replaces parts of the spec (typically `marks`, built from new data) and updates the DOM in
   * place. Changing size or theme, or the number, kinds or series counts of marks, re-renders.
   */
  update(next: Partial<ChartSpec>): void;
  /** Removes the chart from its element. Further updates throw. */
  destroy(): void;
}

/** Options of {@link mountChart}. */
export interface MountChartOptions {
  /**
   * Lay the chart out at the element's own width (the spec's `width` is only the fallback when the
   * element has no width yet) and again whenever that width changes, so the SVG is drawn 1:1 in
   * CSS pixels: its text keeps the theme's font sizes at every chart width, instead of growing
   * and shrinking with a viewBox scaled to fit. Default `false`.
   */
  readonly fitWidth?: boolean;
}

type Section = 'title' | 'grid' | 'x-axis' | 'y-axis' | 'legend' | 'message';

const SECTIONS: readonly [Section, (spec: ChartSpec, layout: ChartLayout) => string][] = [
  ['title', renderTitle],
  ['grid', renderGrid],
  ['x-axis', renderXAxis],
  ['y-axis', renderYAxis],
  ['legend', renderLegend],
  ['message', renderMessage],
];

let counter = 0;

/** Whether `next` can be patched onto the DOM built for `prev`. */
function sameStructure(prev: ChartSpec, next: ChartSpec): boolean {
  if (prev.width !== next.width || prev.height !== next.height || prev.theme !== next.theme) {
    return false;
  }
  if (prev.marks.length !== next.marks.length) return false;
  return prev.marks.every((m, i) => {
    const n = next.marks[i]!;
    return m.kind === n.kind && m.seriesCount === n.seriesCount;
  });
}

/**
 * Mounts a chart into `element` (its content is replaced) and returns a handle to update it in
 * place, e.g. once per animation frame while training.
 *
 * @example
 * const live = mountChart(document.querySelector('#loss')!, lossChartSpec({ runs }));
 * worker.onmessage = (e) => live.update(lossChartSpec({ runs: e.data.runs }));
 */
export function mountChart(
  element: Element,
  spec: ChartSpec,
  options: MountChartOptions = {},
): MountedChart {
  const fn = 'mountChart';
  if (!element || typeof (element as Element).querySelector !== 'function') {
    throw invalid(fn, 'element', element, 'a DOM element');
  }
  if (options === null || typeof options !== 'object') {
    throw invalid(fn, 'options', options, 'an object { fitWidth? }');
  }
  checkSpec(fn, spec);
  const id = spec.id ?? `annlab-live-${++counter}`;
  const fit = options.fitWidth === true;
  /** The element's width in CSS pixels, or undefined before layout (then the spec's width). */
  const measured = (): number | undefined => {
    const w = Math.floor(element.getBoundingClientRect().width);
    return w >= 120 ? w : undefined;
  };
  const sized = (s: ChartSpec): ChartSpec => {
    const w = fit ? measured() : undefined;
    return w === undefined ? s : { ...s, width: w };
  };
  let current = sized(spec);
  let svg!: SVGSVGElement;
  let sections = new Map<Section, { el: Element; html: string }>();
  let markGroups: { el: Element; html: string; paths: Element[]; d: string[] }[] = [];
  let clip!: Element;
  let plotKey = '';
  let destroyed = false;

  const build = (layout: ChartLayout) => {
    element.innerHTML = renderChart(current, layout, id);
    svg = element.querySelector('svg') as SVGSVGElement;
    sections = new Map();
    for (const [name, render] of SECTIONS) {
      sections.set(name, {
        el: svg.querySelector(`g[data-role="${name}"]`)!,
        html: render(current, layout),
      });
    }
    clip = svg.querySelector('rect[data-role="clip"]')!;
    plotKey = rectKey(layout);
    markGroups = current.marks.map((m, i) => {
      const el = svg.querySelector(`g[data-mark="${i}"]`)!;
      const paths = m.kind === 'line' ? Array.from(el.querySelectorAll('path[data-series]')) : [];
      return {
        el,
        html: m.kind === 'line' ? '' : renderMark(current, layout, i),
        paths,
        d: paths.map((p) => p.getAttribute('d') ?? ''),
      };
    });
  };

  const rectKey = (layout: ChartLayout) =>
    `${num(layout.plot.left)},${num(layout.plot.top)},${num(layout.plot.width)},${num(layout.plot.height)}`;

  const patch = (layout: ChartLayout) => {
    for (const [name, render] of SECTIONS) {
      const s = sections.get(name)!;
      const html = render(current, layout);
      if (html !== s.html) {
        s.el.innerHTML = html;
        s.html = html;
      }
    }
    const key = rectKey(layout);
    if (key !== plotKey) {
      const { left, top, width, height } = layout.plot;
      clip.setAttribute('x', num(left));
      clip.setAttribute('y', num(top));
      clip.setAttribute('width', num(width));
      clip.setAttribute('height', num(height));
      plotKey = key;
    }
    current.marks.forEach((m, i) => {
      const g = markGroups[i]!;
      if (m.kind === 'line') {
        const ds = layout.empty
          ? g.paths.map(() => '')
          : (m as LineMark).paths(layout.contexts[i]!);
        for (let k = 0; k < g.paths.length; k++) {
          const d = ds[k] ?? '';
          if (d !== g.d[k]) {
            g.paths[k]!.setAttribute('d', d);
            g.d[k] = d;
          }
        }
        return;
      }
      const html = renderMark(current, layout, i);
      if (html !== g.html) {
        g.el.innerHTML = html;
        g.html = html;
      }
    });
  };

  build(layoutChart(current));

  let observer: ResizeObserver | undefined;
  if (fit && typeof ResizeObserver === 'function') {
    observer = new ResizeObserver(() => {
      const w = measured();
      if (destroyed || w === undefined || w === current.width) return;
      current = { ...current, width: w };
      build(layoutChart(current));
    });
    observer.observe(element);
  }

  return {
    get svg() {
      return svg;
    },
    update(next: Partial<ChartSpec>) {
      if (destroyed) throw new PlotError('mountChart: update() called after destroy()');
      if (next === null || typeof next !== 'object')
        throw invalid('update', 'next', next, 'an object');
      const merged: ChartSpec = fit
        ? { ...current, ...next, width: current.width }
        : { ...current, ...next };
      checkSpec('update', merged);
      const rebuild = !sameStructure(current, merged);
      current = merged;
      const layout = layoutChart(current);
      if (rebuild) build(layout);
      else patch(layout);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      observer?.disconnect();
      element.innerHTML = '';
      sections = new Map();
      markGroups = [];
    },
  };
}
