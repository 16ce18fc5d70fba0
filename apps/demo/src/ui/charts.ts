/**
 * A chart panel: a live chart (plot's `mountChart`) with buttons to download it as SVG or PNG.
 */
import { type ChartSpec, type MountedChart, mountChart, svgToPngBlob } from '@annlab/plot';
import { button, h } from './controls.js';
import { currentTheme } from './theme.js';

/** A mounted chart with its download buttons. */
export interface ChartPanel {
  readonly el: HTMLElement;
  /** Draws the spec (mounting on first use, patching afterwards). */
  draw(spec: ChartSpec): void;
  destroy(): void;
}

function download(name: string, blob: Blob): void {
  const a = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * Creates an empty panel; call `draw` with each new spec.
 *
 * @example
 * ```ts
 * const loss = chartPanel('loss', 'Loss');
 * el.append(loss.el);
 * loss.draw(lossChartSpec({ runs }));
 * ```
 */
export function chartPanel(name: string, label: string): ChartPanel {
  const body = h('div', { class: 'chart', role: 'img', 'aria-label': label });
  let chart: MountedChart | undefined;
  const svgText = () => (chart ? new XMLSerializer().serializeToString(chart.svg) : '');
  const tools = h(
    'div',
    { class: 'chart-tools' },
    button('SVG', () => download(`${name}.svg`, new Blob([svgText()], { type: 'image/svg+xml' })), {
      'aria-label': `Download ${label} as SVG`,
    }),
    button(
      'PNG',
      () => {
        svgToPngBlob(svgText(), { width: 1200 })
          .then((b) => download(`${name}.png`, b))
          .catch(() => undefined);
      },
      { 'aria-label': `Download ${label} as PNG` },
    ),
  );
  const el = h('figure', { class: 'panel', 'data-chart': name }, body, tools);
  return {
    el,
    draw(spec) {
      const themed: ChartSpec = { width: 560, height: 340, ...spec, theme: currentTheme() };
      if (chart) chart.update(themed);
      else chart = mountChart(body, themed);
    },
    destroy() {
      chart?.destroy();
      chart = undefined;
    },
  };
}
