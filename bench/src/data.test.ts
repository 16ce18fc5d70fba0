import { describe, expect, it } from 'vitest';
import {
  linspace,
  source,
  stepsPerEpoch,
  w1Problem,
  w2Problem,
  w3Problem,
  w4Problem,
  w5Problem,
} from './data.js';

describe('source', () => {
  it('uses @annlab/core keys and is deterministic per seed', () => {
    const a = source(5);
    const b = source(5);
    expect(a.name).toBe('annlab core key');
    const n = a.normals(8);
    expect(b.normals(8)).toBeAllclose(n, { rtol: 0, atol: 0 });
    // successive draws differ (one foldIn per draw)
    expect(a.normals(8)).not.toEqual(n);
    const u = a.uniforms(1000, -1, 1);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(1);
    const p = a.permutation(500);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});

describe('workload data', () => {
  it('linspace includes both ends', () => {
    const x = linspace(0.5, 3, 200);
    expect([x[0]!, x[199]!, x[1]! - x[0]!]).toBeAllclose([0.5, 3, 2.5 / 199], {
      rtol: 1e-15,
      atol: 0,
    });
  });

  it('W1 is −3x + 2 on 200 points with 500 shuffled epochs, the same every time', () => {
    const p = w1Problem();
    expect(p.layers).toBe(3);
    expect(p.orders.length).toBe(500);
    expect(p.y).toBeAllclose(
      p.x.map((v) => -3 * v + 2),
      { rtol: 1e-15, atol: 0 },
    );
    const q = w1Problem();
    expect(q.init[0]).toBeAllclose(p.init[0], { rtol: 0, atol: 0 });
    expect([...q.orders[499]!]).toEqual([...p.orders[499]!]);
  });

  it('W2 is log x for depths 1, 2, 3', () => {
    for (const n of [1, 2, 3]) {
      const p = w2Problem(n);
      expect(p.init[0].length).toBe(n);
      expect(p.orders.length).toBe(300);
      expect(p.y).toBeAllclose(p.x.map(Math.log), { rtol: 1e-15, atol: 0 });
    }
  });

  it('MLP problems have the workloads shapes and batch counts', () => {
    const w3 = w3Problem();
    expect(w3.init.map((t) => t.length)).toEqual([
      32, 32, 1024, 32, 1024, 32, 1024, 32, 1024, 32, 96, 3,
    ]);
    expect([w3.y[3 * 10]!, w3.y[3 * 10 + 1]!, w3.y[3 * 10 + 2]!]).toBeAllclose(
      [w3.x[10]! * Math.exp(w3.x[10]!), Math.exp(w3.x[10]!), w3.x[10]! ** 2],
      { rtol: 1e-15, atol: 0 },
    );
    const w4 = w4Problem();
    expect(stepsPerEpoch(w4) * 20).toBe(800);
    expect(w4.batch?.orders.length).toBe(20);
    const w5 = w5Problem();
    expect(w5.x.length).toBe(2 * 4096);
    expect(stepsPerEpoch(w5)).toBe(1);
  });
});
