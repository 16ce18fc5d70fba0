/**
 * W7's problem as workloads.md defines it (3 arms × 300 points, 20 % held out, 2300 updates), and
 * its float64 evaluator against closed forms.
 */
import { describe, expect, it } from 'vitest';
import { w7Evaluate, w7Problem } from './w7.js';

describe('W7 problem', () => {
  const p = w7Problem();
  it('has 720 training and 180 test points, radius ≤ 1, and 23 batches of ≤ 32 per epoch', () => {
    expect(p.mlp.rows).toBe(720);
    expect(p.testLabels.length).toBe(180);
    expect(p.labels.length + p.testLabels.length).toBe(900);
    const counts = [0, 0, 0];
    for (const c of [...p.labels, ...p.testLabels]) counts[c]!++;
    expect(counts).toEqual([300, 300, 300]);
    for (let i = 0; i < p.mlp.rows; i++) {
      expect(Math.hypot(p.mlp.x[2 * i]!, p.mlp.x[2 * i + 1]!)).toBeLessThanOrEqual(1);
    }
    expect(Math.ceil(p.mlp.rows / 32) * 100).toBe(2300);
    expect(p.mlp.batch!.orders).toHaveLength(100);
    // one-hot rows agree with the labels
    for (let i = 0; i < p.mlp.rows; i++) expect(p.mlp.y[3 * i + p.labels[i]!]).toBe(1);
  });
  it('is the same on every call (fixed key)', () => {
    const q = w7Problem();
    expect(q.mlp.x).toEqual(p.mlp.x);
    expect(q.mlp.init).toEqual(p.mlp.init);
  });
  it('evaluates zero weights as loss ln 3 (uniform softmax) and accuracy of class 0', () => {
    const zeros = p.mlp.init.map((t) => new Float64Array(t.length));
    const r = w7Evaluate(p, zeros);
    // a mean of 720 equal terms: rounding ≲ 1e-13
    expect(r.loss).toBeCloseTo(Math.log(3), 12);
    // all logits equal: the arg-max is class 0 (ties go to the lower index)
    expect(r.accuracy).toBe(p.testLabels.filter((c) => c === 0).length / 180);
  });
});
