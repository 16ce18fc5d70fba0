import { describe, expect, it } from 'vitest';
import { type ChartSpec, chart, chartTable } from '../chart.js';
import { PlotDataError } from '../errors.js';
import { heatmap } from '../marks/heatmap.js';
import { line } from '../marks/line.js';
import type { Mark } from '../marks/types.js';
import { darkTheme, lightTheme } from '../themes.js';
import { decisionBoundaryChart } from './decisionBoundary.js';
import { depthComparisonChart } from './depth.js';
import { fitChart } from './fit.js';
import { gradientBarsChart, gradientBarsChartSpec } from './gradientBars.js';
import { lineChart } from './line.js';
import { lossChart, lossChartSpec } from './loss.js';
import { histogram, lossHistogramChart, lossHistogramChartSpec } from './lossHistogram.js';

const x = [0.5, 1, 1.5, 2];

/** The `d` of every data path (marks only). */
function markPaths(svg: string): string[] {
  const marks = /<g data-role="marks"[^>]*>(.*?)<g data-role="x-axis">/s.exec(svg)![1]!;
  return [...marks.matchAll(/<path data-series="\d+" d="([^"]*)"/g)].map((m) => m[1]!);
}

describe('chart validation', () => {
  it('names the function, argument and value', () => {
    expect(() => chart({ marks: [], width: -3 })).toThrow(
      'chart: width must be a number of pixels in [50, 20000], got -3',
    );
    expect(() => chart({ marks: [], y: { type: 'log', domain: [0, 1] } })).toThrow(
      'chart: y.domain must be a pair [lo, hi] with 0 < lo < hi, got Array(2)',
    );
    expect(() => chart({ marks: [], legend: 'left' as never })).toThrow(
      "chart: legend must be one of 'top'",
    );
    expect(() => chart({ marks: [{} as never] })).toThrow('chart: marks[0] must be a mark');
    expect(() => chart({ marks: [], x: { type: 'sqrt' as never } })).toThrow(
      `chart: x.type must be 'linear' or 'log', got "sqrt"`,
    );
    expect(() => chart(null as never)).toThrow(PlotDataError);
  });

  it('mismatched lengths throw in every figure', () => {
    expect(() => fitChart({ x, target: [1, 2, 3], approximation: x })).toThrow(
      'fitChart: target has length 3 but x has length 4',
    );
    expect(() => fitChart({ x, target: Math.log, approximation: [1] })).toThrow(
      'fitChart: approximation has length 1 but x has length 4',
    );
    expect(() =>
      depthComparisonChart({ x, target: Math.log, approximations: [{ name: 'N = 1', y: [1, 2] }] }),
    ).toThrow('depthComparisonChart: approximations[0] ("N = 1") has x.length 4 but y.length 2');
    expect(() => lossChart({ runs: [{ loss: [1, 2], x: [1] }] })).toThrow(
      'lossChart: runs[0] has x.length 1 but y.length 2',
    );
    expect(() => lineChart({ series: [{ x: [1], y: [] }] })).toThrow(
      'lineChart: series[0] has x.length 1 but y.length 0',
    );
    expect(() => gradientBarsChart({ series: [{ values: [1, 2] }, { values: [1] }] })).toThrow(
      'gradientBarsChart: options.series[1].values has length 1 but there are 2 categories',
    );
    expect(() =>
      decisionBoundaryChart({ grid: { x: [0, 1], y: [0, 1], nx: 2, ny: 2, values: [1] } }),
    ).toThrow('decisionBoundaryChart: grid.values has length 1 but nx × ny = 2 × 2 = 4');
    expect(() => lossHistogramChart({ losses: 3 as never })).toThrow(
      'lossHistogramChart: losses must be an array or typed array of numbers, got 3',
    );
  });
});

describe('empty and bad data', () => {
  it('empty data draws axes and a message, no data paths', () => {
    const svg = lineChart({ series: [{ name: 'loss', x: [], y: [] }] });
    expect(svg).toContain('>No data</text>');
    expect(markPaths(svg)).toEqual([]);
    expect(svg).toContain('data-role="x-axis"');
  });

  it('all-NaN data and log charts of losses ≤ 0 count as empty; the message can be set', () => {
    expect(lineChart({ series: { x: [1, 2], y: [Number.NaN, Number.NaN] } })).toContain('No data');
    const svg = lossChart({
      runs: { loss: [0, -1, 0] },
      emptyMessage: 'Waiting for the first epoch…',
    });
    expect(svg).toContain('Waiting for the first epoch…');
  });

  it('a loss curve with non-finite and zero losses leaves gaps on the log axis', () => {
    const svg = lossChart({ runs: { loss: [1, 0.5, Number.NaN, 0.2, 0, 0.1, 0.05] } });
    const [d] = markPaths(svg);
    expect(d!.match(/M/g)).toHaveLength(3);
    expect(d).not.toMatch(/NaN|Infinity/);
  });
});

describe('colours, legend and themes', () => {
  it('series take palette colours in order; explicit colours take no palette slot', () => {
    const svg = depthComparisonChart({
      x,
      target: Math.log,
      approximations: [
        { name: 'N = 1', y: x },
        { name: 'N = 2', y: x },
      ],
    });
    expect(svg).toContain(`stroke="${lightTheme.palette[0]}"`);
    expect(svg).toContain(`stroke="${lightTheme.palette[1]}"`);
    expect(svg).not.toContain(`stroke="${lightTheme.palette[2]}"`);
  });

  it('the dark theme paints its background and palette', () => {
    const svg = lineChart({ theme: 'dark', series: { name: 'a', x, y: x } });
    expect(svg).toContain(`fill="${darkTheme.background}"`);
    expect(svg).toContain(`stroke="${darkTheme.palette[0]}"`);
    expect(svg).toContain('data-theme="dark"');
  });

  it('the legend lists named series above the plot by default, inside a corner on request', () => {
    const top = lineChart({
      series: [
        { name: 'α', x, y: x },
        { x, y: x },
      ],
    });
    const legend = /<g data-role="legend">(.*?)<\/g>/.exec(top)![1]!;
    expect(legend.match(/<text/g)).toHaveLength(1);
    const inside = lineChart({ legend: 'bottom-left', series: [{ name: 'α', x, y: x }] });
    expect(/<g data-role="legend"><rect/.test(inside)).toBe(true);
    expect(lineChart({ legend: 'none', series: [{ name: 'α', x, y: x }] })).toContain(
      '<g data-role="legend"></g>',
    );
  });

  it('marks outside the plot are clipped, and each chart gets its own clip id', () => {
    const a = chart({ marks: [line({ x, y: x })] });
    const b = chart({ marks: [line({ x, y: [1, 2, 3, 4] })] });
    const ida = /clipPath id="([^"]+)"/.exec(a)![1];
    const idb = /clipPath id="([^"]+)"/.exec(b)![1];
    expect(ida).not.toBe(idb);
    expect(a).toContain(`clip-path="url(#${ida})"`);
    expect(chart({ id: 'fig1', marks: [] })).toContain('id="fig1-clip"');
  });
});

describe('figures', () => {
  it('fitChart accepts the target as a function or as values', () => {
    const f = (v: number) => -3 * v + 2;
    const a = fitChart({ x, target: f, approximation: x });
    const b = fitChart({ x, target: x.map(f), approximation: x });
    expect(a).toBe(b);
  });

  it('lossChart draws a log y axis by default, with a labelled reference line', () => {
    const svg = lossChart({
      runs: { name: 'run', loss: [1, 0.1, 0.01, 1e-3] },
      reference: { value: 0.05, label: 'goal' },
    });
    expect(svg).toContain('10⁻²');
    expect(svg).toContain('>goal</text>');
    expect(() => lossChart({ runs: { loss: [1] }, reference: Number.NaN })).toThrow(
      'lossChart: reference must be a finite number or { value, label? }, got NaN',
    );
  });

  it('gradientBarsChart names layers 1…n by default', () => {
    const svg = gradientBarsChart({ series: { name: 'sigmoid', values: [1e-4, 1e-3, 1e-2] } });
    for (const l of ['1', '2', '3']) expect(svg).toContain(`>${l}</text>`);
    expect(svg.match(/<rect x=[^>]*><title>/g)).toHaveLength(3);
  });

  it('decisionBoundaryChart draws the contour and the classes in the ramp colours', () => {
    const svg = decisionBoundaryChart({
      grid: { x: [0, 1], y: [0, 1], nx: 2, ny: 2, values: [0, 1, 1, 0] },
      points: [
        { name: 'class 0', x: [0], y: [0] },
        { name: 'class 1', x: [1], y: [0] },
      ],
    });
    expect(svg).toContain(`fill="${lightTheme.ramp[0]}"`);
    expect(svg).toContain(`fill="${lightTheme.ramp[2]}"`);
    expect(svg).toMatch(/<path d="M[^"]+" fill="none" stroke="#1f2328" stroke-width="2"/);
  });
});

describe('histogram', () => {
  it('counts every finite value once, the maximum in the last bin', () => {
    const h = histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Number.NaN], 5, 'linear');
    expect(Array.from(h.edges)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(Array.from(h.counts)).toEqual([2, 2, 2, 2, 3]);
    expect(h.dropped).toBe(1);
  });

  it('uses log-spaced bins over decades', () => {
    const h = histogram([1e-3, 1e-2, 1e-1, 1, 0], 3, 'log');
    expect(h.edges).toBeAllclose([1e-3, 1e-2, 1e-1, 1], { rtol: 1e-12, atol: 0 });
    expect(Array.from(h.counts)).toEqual([1, 1, 2]);
    expect(h.dropped).toBe(1);
  });

  it('the chart picks log bins for losses spanning decades and reports diverged runs', () => {
    const losses = [1e-4, 3e-4, 1e-3, 2e-2, 0.5, Number.NaN, Number.POSITIVE_INFINITY];
    const spec = lossHistogramChartSpec({ losses });
    expect(spec.x?.type).toBe('log');
    expect(spec.subtitle).toBe('2 of 7 losses not shown (2 non-finite)');
    expect(lossHistogramChart({ losses })).toContain('median');
    expect(lossHistogramChartSpec({ losses: [1, 2, 3] }).x?.type).toBe('linear');
  });
});

describe('accessible name', () => {
  it('label names the SVG apart from the visible title; the title, else "chart", by default', () => {
    const marks = [line({ x: [0, 1], y: [0, 1] })];
    expect(chart({ marks, label: 'Loss per epoch' })).toContain('<title>Loss per epoch</title>');
    expect(chart({ marks, title: 'T' })).toContain('<title>T</title>');
    expect(chart({ marks })).toContain('<title>chart</title>');
    expect(() => chart({ marks, label: 3 as never })).toThrow(/chart: label must be a string/);
  });
});

describe('chartTable: the text alternative of a chart', () => {
  it('lists every point of lines, every bar, every heat-map cell centre; rules are left out', () => {
    const loss = chartTable(
      lossChartSpec({ runs: { name: 'loss', loss: [1, 0.5] }, reference: 0.1 }),
    );
    expect(loss).toHaveLength(1);
    expect(loss[0]!.rows).toEqual([
      ['loss', 1, 1],
      ['loss', 2, 0.5],
    ]);
    const bars = chartTable(
      gradientBarsChartSpec({
        series: [
          { name: 'a', values: [1, 2] },
          { name: 'b', values: [3, 4] },
        ],
      }),
    );
    expect(bars[0]!.columns).toEqual(['layer', 'a', 'b']);
    expect(bars[0]!.rows).toEqual([
      ['1', 1, 3],
      ['2', 2, 4],
    ]);
    const heat = chartTable(
      chartSpecOf([heatmap({ x: [0, 2], y: [0, 1], nx: 2, ny: 1, values: [5, 6] })]),
    );
    expect(heat[0]!.rows).toEqual([
      [0.5, 0.5, 5],
      [1.5, 0.5, 6],
    ]);
  });
});

function chartSpecOf(marks: Mark[]): ChartSpec {
  return { marks };
}
