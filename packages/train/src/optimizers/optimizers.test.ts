import { seeded } from '@annlab/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantSchedule, linearSchedule } from '../schedules.js';
import {
  adam,
  adamw,
  addDecayedWeights,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  type GradientTransformation,
  globalNorm,
  momentum,
  scaleByAdam,
  scaleByLearningRate,
  sgd,
  trace,
} from './index.js';

/** Runs `steps` updates with gradients from `gradFn`, returning the parameter trajectory. */
function run(
  opt: GradientTransformation,
  p0: number[],
  gradFn: (p: Float64Array, t: number) => ArrayLike<number>,
  steps: number,
): Float64Array[] {
  const p = Float64Array.from(p0);
  const state = opt.init(p);
  const out: Float64Array[] = [];
  for (let t = 0; t < steps; t++) {
    const g = Float64Array.from(gradFn(p, t));
    applyUpdates(p, opt.update(g, state, p)[0]);
    out.push(p.slice());
  }
  return out;
}

const rng = seeded(11);
const gradSeq = Array.from({ length: 20 }, () => rng.array(3, -2, 2));
const gradOf = (_p: Float64Array, t: number) => gradSeq[t]!;

describe('sgd', () => {
  it('takes p ← p − η g', () => {
    const traj = run(sgd(0.1), [1, 2, 3], gradOf, 2);
    const g0 = gradSeq[0]!;
    const g1 = gradSeq[1]!;
    const expected = [1, 2, 3].map((v, i) => v - 0.1 * g0[i]! - 0.1 * g1[i]!);
    expect(traj[1]).toBeAllclose(expected, { rtol: 1e-15, atol: 1e-15 });
  });

  it('with momentum follows m ← g + βm, p ← p − ηm (PyTorch dampening 0), and Nesterov p ← p − η(g + βm)', () => {
    for (const nesterov of [false, true]) {
      const traj = run(sgd(0.05, { momentum: 0.9, nesterov }), [0, 0, 0], gradOf, 20);
      const p = [0, 0, 0];
      const m = [0, 0, 0];
      for (let t = 0; t < 20; t++) {
        for (let i = 0; i < 3; i++) {
          const g = gradSeq[t]![i]!;
          m[i] = g + 0.9 * m[i]!;
          p[i]! -= 0.05 * (nesterov ? g + 0.9 * m[i]! : m[i]!);
        }
      }
      expect(traj[19]).toBeAllclose(p, { rtol: 1e-13, atol: 1e-14 });
      const viaMomentum = run(momentum(0.05, { beta: 0.9, nesterov }), [0, 0, 0], gradOf, 20);
      expect(viaMomentum[19]).toBeAllclose(p, { rtol: 1e-13, atol: 1e-14 });
      const viaChain = run(
        chain(trace({ decay: 0.9, nesterov }), scaleByLearningRate(0.05)),
        [0, 0, 0],
        gradOf,
        20,
      );
      expect(viaChain[19]).toBeAllclose(p, { rtol: 1e-13, atol: 1e-14 });
    }
  });

  it('evaluates a schedule at the step count (0 for the first update)', () => {
    const lr = linearSchedule({ from: 1, to: 0.5, steps: 2 });
    const traj = run(sgd(lr), [0], () => [1], 3);
    // steps use η = 1, 0.75, 0.5
    expect(traj.map((p) => p[0]!)).toBeAllclose([-1, -1.75, -2.25], { rtol: 0, atol: 1e-15 });
  });

  it('reuses its buffers: the same updates array and state every call', () => {
    const opt = sgd(0.1, { momentum: 0.5 });
    const p = new Float64Array(3);
    const s = opt.init(p);
    const r1 = opt.update(Float64Array.of(1, 2, 3), s, p);
    const u1 = r1[0];
    const r2 = opt.update(Float64Array.of(1, 2, 3), s, p);
    expect(r2[0]).toBe(u1);
    expect(r2[1]).toBe(s);
    expect(r2).toBe(r1);
    expect(s.count).toBe(2);
  });

  it('rejects bad learning rates and coefficients with messages naming them', () => {
    expect(() => sgd(0)).toThrow('sgd: learningRate must be a finite number > 0, got 0');
    expect(() => sgd(-1)).toThrow('sgd: learningRate must be a finite number > 0, got -1');
    expect(() => sgd(Number.NaN)).toThrow('sgd: learningRate must be a finite number > 0, got NaN');
    expect(() => sgd(Number.POSITIVE_INFINITY)).toThrow(/got Infinity/);
    expect(() => sgd(0.1, { momentum: 1 })).toThrow(
      'sgd: options.momentum must be a number in [0, 1), got 1',
    );
    expect(() => adam(0.1, { b2: -0.1 })).toThrow(
      'adam: options.b2 must be a number in [0, 1), got -0.1',
    );
    expect(() => clipByGlobalNorm(0)).toThrow(
      'clipByGlobalNorm: maxNorm must be a finite number > 0, got 0',
    );
    expect(() => chain()).toThrow('chain: needs at least one transformation, got none');
  });

  it('rejects gradients of the wrong length and non-Float64Array params', () => {
    const opt = adam(0.1);
    const s = opt.init(new Float64Array(3));
    expect(() => opt.update(new Float64Array(2), s)).toThrow(
      'adam.update: grads has length 2, but the state was initialised for 3 parameters',
    );
    expect(() => opt.init([1, 2] as unknown as Float64Array)).toThrow(
      'adam.init: params must be a Float64Array, got Array(2)',
    );
    expect(() => applyUpdates(new Float64Array(2), new Float64Array(3))).toThrow(
      'applyUpdates: updates has length 3, params has length 2',
    );
  });
});

/** Adam written out per coordinate, as in Kingma & Ba Algorithm 1 (the reference). */
function referenceAdam(
  steps: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  wd = 0,
): number[] {
  const p = [0.5, -1, 2];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < 3; i++) {
      const g = gradSeq[t - 1]![i]!;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      const mh = m[i]! / (1 - b1 ** t);
      const vh = v[i]! / (1 - b2 ** t);
      p[i] = p[i]! - lr * (mh / (Math.sqrt(vh) + eps) + wd * p[i]!);
    }
  }
  return p;
}

describe('adam and adamw', () => {
  it('first step is −η g/(|g| + ε) (bias correction makes m̂ = g, v̂ = g²)', () => {
    const traj = run(adam(0.01), [0, 0, 0], gradOf, 1);
    const g = gradSeq[0]!;
    expect(traj[0]).toBeAllclose(
      g.map((gi) => (-0.01 * gi) / (Math.abs(gi) + 1e-8)),
      { rtol: 1e-14, atol: 0 },
    );
  });

  it('matches the per-coordinate reference over 20 steps, fused and chained', () => {
    const ref = referenceAdam(20, 0.01, 0.9, 0.999, 1e-8);
    expect(run(adam(0.01), [0.5, -1, 2], gradOf, 20)[19]).toBeAllclose(ref, {
      rtol: 1e-13,
      atol: 1e-15,
    });
    expect(
      run(chain(scaleByAdam(), scaleByLearningRate(0.01)), [0.5, -1, 2], gradOf, 20)[19],
    ).toBeAllclose(ref, { rtol: 1e-13, atol: 1e-15 });
    const refW = referenceAdam(20, 0.01, 0.8, 0.99, 1e-6, 0.1);
    const w = { b1: 0.8, b2: 0.99, eps: 1e-6 };
    expect(run(adamw(0.01, { ...w, weightDecay: 0.1 }), [0.5, -1, 2], gradOf, 20)[19]).toBeAllclose(
      refW,
      { rtol: 1e-13, atol: 1e-15 },
    );
    expect(
      run(
        chain(scaleByAdam(w), addDecayedWeights(0.1), scaleByLearningRate(0.01)),
        [0.5, -1, 2],
        gradOf,
        20,
      )[19],
    ).toBeAllclose(refW, { rtol: 1e-13, atol: 1e-15 });
  });

  it('minimises a badly scaled quadratic', () => {
    const c = [3, -2, 0.5];
    const scale = [100, 1, 0.01];
    const grad = (p: Float64Array) => c.map((ci, i) => 2 * scale[i]! * (p[i]! - ci));
    const traj = run(adam(constantSchedule(0.05)), [0, 0, 0], grad, 3000);
    // measured: max |p − c| ≈ 1e-9 after 3000 steps
    expect(traj[2999]).toBeAllclose(c, { rtol: 0, atol: 1e-4 });
  });

  it('adamw needs the params', () => {
    const opt = adamw(0.01);
    const s = opt.init(new Float64Array(2));
    expect(() => opt.update(new Float64Array(2), s)).toThrow(
      'adamw.update: params must be the Float64Array(2) being optimised, got undefined',
    );
  });
});

describe('clipByGlobalNorm', () => {
  it('rescales to the max norm when above it, passes through otherwise (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (values, maxNorm) => {
          const g = Float64Array.from(values);
          const opt = clipByGlobalNorm(maxNorm);
          const [u] = opt.update(g, opt.init(g));
          const n = globalNorm(g);
          const expected = n > maxNorm ? values.map((v) => (v * maxNorm) / n) : values;
          expect(u).toBeAllclose(expected, { rtol: 1e-12, atol: 1e-300 });
          expect(globalNorm(u)).toBeLessThanOrEqual(maxNorm * (1 + 1e-12));
        },
      ),
      { numRuns: 200, seed: 1 },
    );
  });

  it('computes the norm without overflow', () => {
    expect(globalNorm(Float64Array.of(3e200, 4e200))).toBeAllclose(5e200, { rtol: 1e-15, atol: 0 });
    expect(globalNorm(new Float64Array(3))).toBe(0);
  });

  it('composes before sgd: chain(clip, sgd) takes a step of length ≤ η · maxNorm', () => {
    const traj = run(chain(clipByGlobalNorm(1), sgd(0.1)), [0, 0], () => [30, 40], 1);
    expect(traj[0]).toBeAllclose([-0.06, -0.08], { rtol: 1e-15, atol: 0 });
  });
});
