import { describe, expect, it } from 'vitest';
import { run } from '../classify-csv.mjs';

describe('examples/classify-csv.mjs', () => {
  it('reads the CSV, trains a softmax classifier and classifies held-out rows', async () => {
    const r = await run();
    // The file: 120 rows, three species sorted by name as readTable maps labels.
    expect(r.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(r.trainRows + r.testRows).toBe(120);
    // Every held-out row lands in the confusion matrix (rows truth, columns prediction) once, and
    // the diagonal agrees with the accuracy.
    const m: number[][] = r.confusion;
    expect(m.flat().reduce((s, v) => s + v, 0)).toBe(r.testRows);
    expect(m.reduce((s, row, i) => s + row[i]!, 0) / r.testRows).toBe(r.accuracy);
    // The clusters (uniform noise ±0.45 around centres ≥ 1.8 apart) do not overlap, so a trained
    // classifier should separate them: at least 90 % on the 30 held-out rows.
    expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
