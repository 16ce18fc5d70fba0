import { chart } from '@annlab/plot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE } from '../state/url.js';
import { MAP_CELLS, prepareData, type TableInput } from './setup.js';
import { planeSpec } from './views.js';

const cells = MAP_CELLS * MAP_CELLS;

describe('planeSpec', () => {
  it('two classes: P(class 1) = σ(logit) with the boundary, and the training points by class', () => {
    const d = prepareData({ ...DEFAULT_STATE, mode: 'classification', data: 'xor', n: 40 });
    if ('error' in d) throw new Error(d.error);
    const logits = Array.from({ length: cells }, (_, i) => (i % 2 === 0 ? -2 : 2));
    const spec = planeSpec(d, logits);
    expect(spec.marks.map((m) => m.kind)).toEqual(['heatmap', 'points']);
    // the contour at 0.5 is drawn (alternating columns cross it everywhere); none without a prediction
    expect(chart(spec)).toContain('stroke-width="2" stroke-linecap="round"');
    expect(chart(planeSpec(d, undefined))).not.toContain('stroke-width="2" stroke-linecap="round"');
  });

  it('three classes: each cell gets the class with the largest score; a surface for regression', () => {
    const table: TableInput = {
      x: [0, 0, 1, 1, 2, 2, 0, 2],
      xColumns: ['a', 'b'],
      y: [0, 1, 2, 0],
      yColumns: ['label'],
      classes: ['p', 'q', 'r'],
      rows: 4,
    };
    const d = prepareData({ ...DEFAULT_STATE, mode: 'classification', data: 'csv' }, table);
    if ('error' in d) throw new Error(d.error);
    const scores = Array.from({ length: 3 * cells }, (_, i) =>
      i % 3 === Math.floor(i / 3) % 3 ? 1 : 0,
    );
    const spec = planeSpec(d, scores);
    expect(spec.marks.map((m) => m.kind)).toEqual(['heatmap', 'points']);
    expect(() => chart(spec)).not.toThrow();
    const r = prepareData({ ...DEFAULT_STATE, mode: 'regression', data: 'gauss', n: 20 });
    if ('error' in r) throw new Error(r.error);
    const surface = planeSpec(
      r,
      Array.from({ length: cells }, (_, i) => i / cells),
    );
    expect(surface.title).toBe('Fitted surface and the training points');
    expect(() => chart(surface)).not.toThrow();
  });
});
