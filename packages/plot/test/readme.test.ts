import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namedCharts } from './charts.js';
import { README_FIGURES } from './render-docs.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  it.each(README_FIGURES)('shows %s with a committed PNG of the chart size', (name) => {
    expect(readme).toContain(`(docs/${name}.png)`);
    const file = join(root, 'docs', `${name}.png`);
    expect(existsSync(file)).toBe(true);
    const png = readFileSync(file);
    const [w, h] = /width="(\d+)" height="(\d+)"/.exec(namedCharts[name]!())!.slice(1).map(Number);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w, h]);
  });

  it('names every figure function it documents', async () => {
    const api = await import('../src/index.js');
    for (const fn of [
      'fitChart',
      'depthComparisonChart',
      'lossChart',
      'gradientBarsChart',
      'decisionBoundaryChart',
      'lossHistogramChart',
      'lineChart',
      'chart',
      'toPng',
      'svgToPngBlob',
      'mountChart',
    ]) {
      expect(readme).toContain(`${fn}(`);
      expect(typeof (api as Record<string, unknown>)[fn]).toBe('function');
    }
  });
});
