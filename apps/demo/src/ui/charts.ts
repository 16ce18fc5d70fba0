/**
 * A chart panel: a titled live chart (plot's `mountChart`, laid out at its own width so its text
 * keeps one size), its data as a table on demand (the text alternative), and buttons to download
 * it as SVG or PNG.
 */
import {
  type ChartSpec,
  chartTable,
  type MountedChart,
  mountChart,
  svgToPngBlob,
} from '@annlab/plot';
import { common } from '../i18n/common.js';
import { button, fmt, h } from './controls.js';
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
/** Rows shown in a data table at most (the rest are summarised in a line). */
const MAX_ROWS = 400;

function cell(v: string | number): string {
  return typeof v === 'number' ? fmt(v, 5) : v;
}

export function chartPanel(name: string, label: string): ChartPanel {
  const C = common();
  const body = h('div', { class: 'chart', role: 'img', 'aria-label': label });
  const caption = h('figcaption', { class: 'chart-title' }, label);
  const tableBox = h('div', { class: 'chart-table' });
  const details = h('details', { class: 'chart-data' }, h('summary', {}, C.dataTable), tableBox);
  let chart: MountedChart | undefined;
  let last: ChartSpec | undefined;
  const fillTable = () => {
    if (!details.open || !last) return;
    const tables = chartTable(last);
    tableBox.replaceChildren(
      ...tables.map((t, i) => {
        const table = h(
          'table',
          {},
          h('caption', {}, tables.length > 1 ? `${label} (${i + 1})` : label),
        );
        const names: Record<string, string> = { series: C.series, value: C.value };
        table.append(
          h('tr', {}, ...t.columns.map((c) => h('th', { scope: 'col' }, names[c] ?? c))),
        );
        for (const r of t.rows.slice(0, MAX_ROWS)) {
          table.append(h('tr', {}, ...r.map((v) => h('td', {}, cell(v)))));
        }
        const more = t.rows.length - MAX_ROWS;
        return more > 0 ? h('div', {}, table, h('p', {}, C.moreRows(more))) : table;
      }),
    );
  };
  details.addEventListener('toggle', fillTable);
  const svgText = () => (chart ? new XMLSerializer().serializeToString(chart.svg) : '');
  const tools = h(
    'div',
    { class: 'chart-tools' },
    button('SVG', () => download(`${name}.svg`, new Blob([svgText()], { type: 'image/svg+xml' })), {
      'aria-label': C.download(label, 'SVG'),
    }),
    button(
      'PNG',
      () => {
        svgToPngBlob(svgText(), { width: 1200 })
          .then((b) => download(`${name}.png`, b))
          .catch(() => undefined);
      },
      { 'aria-label': C.download(label, 'PNG') },
    ),
  );
  const el = h('figure', { class: 'panel', 'data-chart': name }, caption, body, details, tools);
  return {
    el,
    draw(spec) {
      const themed: ChartSpec = {
        width: 560,
        height: 340,
        emptyMessage: C.noData,
        ...spec,
        label: spec.label ?? label,
        theme: currentTheme(),
      };
      last = themed;
      if (chart) chart.update(themed);
      else chart = mountChart(body, themed, { fitWidth: true });
      fillTable();
    },
    destroy() {
      chart?.destroy();
      chart = undefined;
    },
  };
}
