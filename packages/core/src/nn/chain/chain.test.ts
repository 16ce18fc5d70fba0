import { numericGradient, seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import {
  type ActivationSpec,
  activation,
  sigmoid,
  sigmoidDerivative,
} from '../../activations/index.js';
import { type DiffScalar, jacfwd, jacrev, type Value } from '../../autodiff/index.js';
import { ShapeError, ValidationError } from '../../errors.js';
import { at, identityMatrix, matmul, residualNorm } from '../../linalg/index.js';
import { initNetworkParams, key } from '../../random/index.js';
import {
  type ChainParams,
  chainBackpropInto,
  chainForward,
  chainGradient,
  chainJacobian,
  chainParams,
  createChainWorkspace,
  defaultChainActivations,
  initChain,
} from './index.js';

/** A random network: w, b ~ N(0, 1), x ∈ [0.5, 3], y ~ N(0, 1), from a seed. */
function randomCase(seed: number, depth: number) {
  const r = seeded(seed);
  const params = chainParams(r.normals(depth), r.normals(depth));
  return { params, x: r.range(0.5, 3), y: r.normal() };
}

/** The loss ½(ŷ − y)² as a function of the flat parameters, by plain arithmetic. */
function lossOf(data: Float64Array, depth: number, x: number, y: number, specs: ActivationSpec[]) {
  const acts = specs.map((s) => activation(s));
  let v = x;
  for (let i = 0; i < depth; i++) v = acts[i]!.f(data[i]! * v + data[depth + i]!);
  return 0.5 * (v - y) ** 2;
}

const OTHER_ACTIVATIONS: ActivationSpec[] = [
  'tanh',
  'softplus',
  'gelu',
  { name: 'elu', alpha: 0.7 },
];

describe('chain parameters and activations', () => {
  it('defaultChainActivations: sigmoid ×(N−1), identity last', () => {
    expect(defaultChainActivations(1)).toEqual(['identity']);
    expect(defaultChainActivations(3)).toEqual(['sigmoid', 'sigmoid', 'identity']);
    expect(defaultChainActivations(50).filter((a) => a === 'sigmoid')).toHaveLength(49);
    expect(() => defaultChainActivations(0)).toThrow(
      'defaultChainActivations: depth must be an integer ≥ 1, got 0',
    );
    expect(() => defaultChainActivations(2.5)).toThrow(
      'defaultChainActivations: depth must be an integer ≥ 1, got 2.5',
    );
  });

  it('chainParams lays out [w..., b...] with w and b as views', () => {
    const p = chainParams([1.5, -0.3, 2], [0.1, 0, -1]);
    expect(p.depth).toBe(3);
    expect(Array.from(p.data)).toEqual([1.5, -0.3, 2, 0.1, 0, -1]);
    expect(Array.from(p.w)).toEqual([1.5, -0.3, 2]);
    expect(Array.from(p.b)).toEqual([0.1, 0, -1]);
    p.w[1] = 7;
    p.b[2] = 8;
    expect(Array.from(p.data)).toEqual([1.5, 7, 2, 0.1, 0, 8]);
    const w = new Float64Array([1]);
    const q = chainParams(w, [2]);
    w[0] = 5;
    expect(q.data[0]).toBe(1); // copied
  });

  it('chainParams errors name the argument and value', () => {
    expect(() => chainParams([], [])).toThrow(ShapeError);
    expect(() => chainParams([], [])).toThrow(
      'chainParams: w must have at least one weight, got length 0',
    );
    expect(() => chainParams([1, 2], [1])).toThrow(
      'chainParams: b must have the length of w (2), got length 1',
    );
    expect(() => chainParams([1, Number.NaN], [1, 2])).toThrow(
      'chainParams: w must be finite, got NaN at index 1',
    );
    expect(() => chainParams([1], [Number.POSITIVE_INFINITY])).toThrow(
      'chainParams: b must be finite, got Infinity at index 0',
    );
    expect(() => chainParams(3 as unknown as number[], [1])).toThrow(
      'chainParams: w must be an array of numbers, got 3',
    );
  });
});

describe('initChain', () => {
  it('is deterministic and equals initNetworkParams([1]×(N+1), key, 1) layer by layer', () => {
    for (const depth of [1, 3, 10]) {
      const k = key(42);
      const p = initChain(k, depth);
      expect(Array.from(initChain(key(42), depth).data)).toEqual(Array.from(p.data));
      const layers = initNetworkParams(new Array<number>(depth + 1).fill(1), key(42), 1);
      expect(layers).toHaveLength(depth);
      for (let i = 0; i < depth; i++) {
        expect(p.w[i]).toBe(layers[i]!.w[0]);
        expect(p.b[i]).toBe(layers[i]!.b[0]);
      }
      // Float32 draws of a standard normal.
      for (const v of p.data) {
        expect(Math.fround(v)).toBe(v);
        expect(Math.abs(v)).toBeLessThan(6);
      }
    }
    expect(Array.from(initChain(key(0), 3).data)).not.toEqual(
      Array.from(initChain(key(1), 3).data),
    );
    // The legacy scheme is passed through.
    const legacy = initNetworkParams([1, 1, 1, 1], key(0), 1, { scheme: 'legacy' });
    expect(initChain(key(0), 3, { scheme: 'legacy' }).w[2]).toBe(legacy[2]!.w[0]);
  });

  it('validates depth and key', () => {
    expect(() => initChain(key(0), 0)).toThrow('initChain: depth must be an integer ≥ 1, got 0');
    expect(() => initChain([0, 0] as unknown as Uint32Array, 2)).toThrow(
      /^initNetworkParams: key must be a key/,
    );
  });
});

describe('chainForward', () => {
  it('matches the closed form of a depth-2 network', () => {
    const p = chainParams([2, -1], [0.3, 0.5]);
    const x = 1.25;
    const z0 = 2 * x + 0.3;
    const { xs, zs, deltas, output } = chainForward(p, x);
    expect(Array.from(xs)).toEqual([x, sigmoid(z0), -sigmoid(z0) + 0.5]);
    expect(zs).toBeAllclose([z0, -sigmoid(z0) + 0.5], { rtol: 0, atol: 0 });
    expect(deltas).toBeAllclose([sigmoidDerivative(z0), 1], { rtol: 0, atol: 0 });
    expect(output).toBe(xs[2]);
  });

  it('accepts specs or resolved activations and validates them', () => {
    const p = chainParams([0.5, 1.5], [0.1, -0.2]);
    const a = chainForward(p, 0.7, ['tanh', 'softplus']);
    const b = chainForward(p, 0.7, [activation('tanh'), activation('softplus')]);
    const expected = Math.log1p(Math.exp(1.5 * Math.tanh(0.5 * 0.7 + 0.1) - 0.2));
    expect(a.output).toBeAllclose(expected, { rtol: 1e-15, atol: 0 });
    expect(b.output).toBe(a.output);
    expect(() => chainForward(p, 0.7, ['tanh'])).toThrow(
      'chainForward: activations must have length depth = 2, got length 1',
    );
    expect(() => chainForward(p, 0.7, ['tanh', 'nope' as ActivationSpec])).toThrow(
      /^chainForward: activations\[1\] is invalid: activation: spec must be one of/,
    );
  });

  it('validates params and x', () => {
    const p = chainParams([1], [0]);
    expect(() => chainForward(p, Number.NaN)).toThrow(
      'chainForward: x must be a finite number, got NaN',
    );
    expect(() => chainForward({} as ChainParams, 1)).toThrow(
      /^chainForward: params must be ChainParams \{ depth, data, w, b \}/,
    );
    const bad = { ...p, depth: 2 };
    expect(() => chainForward(bad, 1)).toThrow(
      'chainForward: params.data must have length 2·depth = 4, got length 2',
    );
    const nan = chainParams([1], [0]);
    nan.data[1] = Number.NaN;
    expect(() => chainForward(nan, 1)).toThrow(
      'chainForward: params.data must be finite, got NaN at index 1',
    );
  });
});

describe('chainGradient: backprop, autodiff and triangular agree', () => {
  it('to 1e-12 (rtol) on seeded random networks of depth 1..50, default activations', () => {
    for (let depth = 1; depth <= 50; depth++) {
      for (let rep = 0; rep < 3; rep++) {
        const { params, x, y } = randomCase(1000 * depth + rep, depth);
        const bp = chainGradient(params, x, y, { method: 'backprop' });
        const ad = chainGradient(params, x, y, { method: 'autodiff' });
        const tri = chainGradient(params, x, y, { method: 'triangular' });
        expect(ad.grad).toBeAllclose(bp.grad, { rtol: 1e-12, atol: 0 });
        expect(tri.grad).toBeAllclose(bp.grad, { rtol: 1e-12, atol: 0 });
        expect([ad.loss, tri.loss]).toBeAllclose([bp.loss, bp.loss], { rtol: 1e-14, atol: 0 });
        expect([ad.output, tri.output]).toBeAllclose([bp.output, bp.output], {
          rtol: 1e-14,
          atol: 0,
        });
        expect(bp.loss).toBe(0.5 * (bp.output - y) ** 2);
      }
    }
  });

  it('to 1e-12 (rtol) with other activations', () => {
    for (const spec of OTHER_ACTIVATIONS) {
      for (const depth of [1, 2, 5, 17]) {
        const { params, x, y } = randomCase(77 + depth, depth);
        const activations: ActivationSpec[] = new Array(depth).fill(spec);
        const bp = chainGradient(params, x, y, { method: 'backprop', activations });
        const ad = chainGradient(params, x, y, { method: 'autodiff', activations });
        const tri = chainGradient(params, x, y, { method: 'triangular', activations });
        expect(ad.grad).toBeAllclose(bp.grad, { rtol: 1e-12, atol: 0 });
        expect(tri.grad).toBeAllclose(bp.grad, { rtol: 1e-12, atol: 0 });
      }
    }
  });

  it('equal central differences of the loss (rtol 1e-6)', () => {
    const specsList: ActivationSpec[][] = [
      defaultChainActivations(1),
      defaultChainActivations(3),
      defaultChainActivations(8),
      ['tanh', 'softplus', 'sigmoid', 'identity'],
    ];
    for (const [n, specs] of specsList.entries()) {
      const depth = specs.length;
      const { params, x, y } = randomCase(500 + n, depth);
      const numeric = numericGradient((d) => lossOf(d, depth, x, y, specs), params.data, 1e-6);
      for (const method of ['backprop', 'autodiff', 'triangular'] as const) {
        const g = chainGradient(params, x, y, { method, activations: specs }).grad;
        expect(g).toBeAllclose(numeric, { rtol: 1e-6, atol: 1e-9 });
      }
    }
  });

  it('dw and db are views into grad; backprop is the default method', () => {
    const { params, x, y } = randomCase(3, 4);
    const g = chainGradient(params, x, y);
    expect(g.method).toBe('backprop');
    expect(g.dw.buffer).toBe(g.grad.buffer);
    expect(Array.from(g.dw)).toEqual(Array.from(g.grad.subarray(0, 4)));
    expect(Array.from(g.db)).toEqual(Array.from(g.grad.subarray(4)));
    expect(g.D).toBeUndefined();
  });

  it('a perfect fit has zero loss and zero gradient', () => {
    const p = chainParams([2, -1], [0.3, 0.5]);
    const y = chainForward(p, 1).output;
    for (const method of ['backprop', 'autodiff', 'triangular'] as const) {
      const g = chainGradient(p, 1, y, { method });
      expect(g.loss).toBe(0);
      expect(g.grad).toBeAllclose([0, 0, 0, 0], { rtol: 0, atol: 0 });
    }
  });

  it('validates its arguments', () => {
    const p = chainParams([1, 2], [0, 0]);
    expect(() => chainGradient(p, 1, Number.NaN)).toThrow(
      'chainGradient: y must be a finite number, got NaN',
    );
    expect(() => chainGradient(p, Number.POSITIVE_INFINITY, 0)).toThrow(
      'chainGradient: x must be a finite number, got Infinity',
    );
    expect(() => chainGradient(p, 1, 0, { method: 'finite' as unknown as 'backprop' })).toThrow(
      `chainGradient: opts.method must be one of 'backprop', 'autodiff', 'triangular', got "finite"`,
    );
    expect(() => chainGradient(p, 1, 0, 5 as unknown as { method: 'backprop' })).toThrow(
      'chainGradient: opts must be an object, got 5',
    );
    expect(() => chainGradient(p, 1, 0, { activations: ['tanh'] })).toThrow(
      'chainGradient: activations must have length depth = 2, got length 1',
    );
  });
});

describe("the lecture's linear system (I − L)·dx = D·dp", () => {
  it('D and L have the stated structure', () => {
    const depth = 6;
    const { params, x } = randomCase(11, depth);
    const { D, L, xs, deltas } = chainJacobian(params, x);
    expect([D.rows, D.cols, L.rows, L.cols]).toEqual([depth, 2 * depth, depth, depth]);
    for (let i = 0; i < depth; i++) {
      for (let j = 0; j < 2 * depth; j++) {
        const expected = j === 2 * i ? deltas[i]! * xs[i]! : j === 2 * i + 1 ? deltas[i]! : 0;
        expect(at(D, i, j)).toBe(expected);
      }
      for (let j = 0; j < depth; j++) {
        const expected = j === i - 1 ? deltas[i]! * params.w[i]! : 0;
        expect(at(L, i, j)).toBe(expected);
      }
    }
    // Default activations: δ = σ' on hidden layers, 1 on the identity output.
    expect(deltas[depth - 1]).toBe(1);
  });

  it('dx/dp solves (I − L)·X = D, is block lower triangular, and its last row is ∂ŷ/∂p', () => {
    for (const depth of [1, 2, 7, 30]) {
      const { params, x, y } = randomCase(21 + depth, depth);
      const { D, L, dxdp } = chainJacobian(params, x);
      const IminusL = identityMatrix(depth);
      for (let k = 0; k < depth * depth; k++) IminusL.data[k]! -= L.data[k]!;
      expect(residualNorm(IminusL, dxdp, D)).toBeLessThanOrEqual(1e-14);
      // Layer i's output does not depend on later layers' parameters.
      for (let i = 0; i < depth; i++) {
        for (let j = 2 * (i + 1); j < 2 * depth; j++) expect(at(dxdp, i, j)).toBe(0);
      }
      const tri = chainGradient(params, x, y, { method: 'triangular' });
      expect(tri.dxdp!.data).toBeAllclose(dxdp.data, { rtol: 0, atol: 0 });
      expect(matmul(IminusL, tri.dxdp!).data).toBeAllclose(tri.D!.data, {
        rtol: 1e-13,
        atol: 1e-15,
      });
    }
  });

  /** The forward map p ↦ (x_2..x_{N+1}) over any differentiable scalar, p interleaved as in D. */
  function layerOutputs<T extends DiffScalar<T>>(p: T[], x: number, acts: ActivationSpec[]): T[] {
    const outs: T[] = [];
    let v = p[0]!.mul(x).add(p[1]!).activate(acts[0]!);
    outs.push(v);
    for (let i = 1; i < acts.length; i++) {
      v = p[2 * i]!.mul(v)
        .add(p[2 * i + 1]!)
        .activate(acts[i]!);
      outs.push(v);
    }
    return outs;
  }

  function interleaved(params: ChainParams): number[] {
    const out: number[] = [];
    for (let i = 0; i < params.depth; i++) out.push(params.w[i]!, params.b[i]!);
    return out;
  }

  it("dx/dp equals forward mode's jacfwd of p ↦ (x_2..x_{N+1}) (rtol 1e-12)", () => {
    for (const depth of [1, 2, 3, 12, 50]) {
      for (const acts of [
        defaultChainActivations(depth),
        new Array<ActivationSpec>(depth).fill('tanh'),
      ]) {
        const { params, x } = randomCase(31 + depth, depth);
        const { dxdp } = chainJacobian(params, x, acts);
        const J = jacfwd((...p) => layerOutputs(p, x, acts))(...interleaved(params));
        expect([J.length, J[0]!.length]).toEqual([depth, 2 * depth]);
        expect(dxdp.data).toBeAllclose(J.flat(), { rtol: 1e-12, atol: 0 });
      }
    }
  });

  it('dx/dp equals the reverse-mode Jacobian (jacrev) too (rtol 1e-12)', () => {
    for (const depth of [1, 3, 12]) {
      const { params, x } = randomCase(41 + depth, depth);
      const acts = defaultChainActivations(depth);
      const { dxdp } = chainJacobian(params, x);
      const J = jacrev((...p: Value[]) => layerOutputs(p, x, acts))(...interleaved(params));
      expect(dxdp.data).toBeAllclose(J.flat(), { rtol: 1e-12, atol: 0 });
    }
  });

  it('chainJacobian validates its arguments', () => {
    const p = chainParams([1, 2], [0, 0]);
    expect(() => chainJacobian(p, Number.NaN)).toThrow(
      'chainJacobian: x must be a finite number, got NaN',
    );
    expect(() => chainJacobian(p, 1, ['sigmoid'])).toThrow(
      'chainJacobian: activations must have length depth = 2, got length 1',
    );
  });
});

describe('chainBackpropInto', () => {
  it('equals chainGradient (bit for bit) on the specialised and the generic path', () => {
    for (const depth of [1, 2, 3, 10, 50]) {
      const mixed: ActivationSpec[] = ['relu', 'tanh', 'softplus', 'sigmoid', 'identity', 'gelu'];
      for (const specs of [
        defaultChainActivations(depth),
        new Array<ActivationSpec>(depth).fill('tanh'),
        Array.from({ length: depth }, (_, i) => mixed[i % mixed.length]!),
      ]) {
        const acts = specs.map((s: ActivationSpec) => activation(s));
        const ws = createChainWorkspace(depth);
        const g = new Float64Array(2 * depth).fill(123); // overwritten, not accumulated
        const { params, x, y } = randomCase(depth + 9, depth);
        const loss = chainBackpropInto(params.data, depth, x, y, acts, ws, g);
        const ref = chainGradient(params, x, y, { activations: specs });
        expect(loss).toBe(ref.loss);
        expect(g).toBeAllclose(ref.grad, { rtol: 0, atol: 0 });
        const fw = chainForward(params, x, specs);
        expect(ws.xs).toBeAllclose(fw.xs, { rtol: 0, atol: 0 });
        expect(ws.deltas).toBeAllclose(fw.deltas, { rtol: 0, atol: 0 });
      }
    }
  });

  it('the specialised sigmoid is exact for large |z| (no overflow)', () => {
    const acts = defaultChainActivations(2).map((s) => activation(s));
    const ws = createChainWorkspace(2);
    const g = new Float64Array(4);
    for (const w of [-800, 800]) {
      const p = chainParams([w, 1], [0, 0]);
      const loss = chainBackpropInto(p.data, 2, 1, 0, acts, ws, g);
      expect(loss).toBe(chainGradient(p, 1, 0).loss);
      expect(g).toBeAllclose(chainGradient(p, 1, 0).grad, { rtol: 0, atol: 0 });
      expect(Number.isFinite(loss)).toBe(true);
    }
  });

  it('per-sample SGD on Example 1 (f(x) = −3x + 2) reduces the loss', () => {
    const depth = 3;
    const params = initChain(key(0), depth);
    const acts = defaultChainActivations(depth).map((s) => activation(s));
    const ws = createChainWorkspace(depth);
    const g = new Float64Array(2 * depth);
    const xs = Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
    const meanLoss = () =>
      xs.reduce((s, x) => s + chainGradient(params, x, -3 * x + 2).loss, 0) / xs.length;
    const before = meanLoss();
    for (let epoch = 0; epoch < 50; epoch++) {
      for (const x of xs) {
        chainBackpropInto(params.data, depth, x, -3 * x + 2, acts, ws, g);
        for (let k = 0; k < 2 * depth; k++) params.data[k]! -= 0.01 * g[k]!;
      }
    }
    expect(meanLoss()).toBeLessThan(0.5 * before);
  });

  it('validates every argument, naming it', () => {
    const acts = defaultChainActivations(3).map((s) => activation(s));
    const ws = createChainWorkspace(3);
    const p = new Float64Array(6);
    const g = new Float64Array(6);
    const pick = (over: Record<string, unknown>, name: string, fallback: unknown) =>
      name in over ? over[name] : fallback;
    const call = (over: Record<string, unknown>) => () =>
      chainBackpropInto(
        pick(over, 'params', p) as Float64Array,
        pick(over, 'depth', 3) as number,
        pick(over, 'x', 1) as number,
        pick(over, 'y', 0) as number,
        pick(over, 'acts', acts) as typeof acts,
        pick(over, 'ws', ws) as typeof ws,
        pick(over, 'gradOut', g) as Float64Array,
      );
    expect(call({ depth: 0 })).toThrow('chainBackpropInto: depth must be an integer ≥ 1, got 0');
    expect(call({ depth: 1.5 })).toThrow(
      'chainBackpropInto: depth must be an integer ≥ 1, got 1.5',
    );
    expect(call({ params: new Float64Array(5) })).toThrow(
      'chainBackpropInto: params must be a Float64Array of length 2·depth = 6, got Float64Array(5)',
    );
    expect(call({ x: Number.NaN })).toThrow(
      'chainBackpropInto: x must be a finite number, got NaN',
    );
    expect(call({ y: Number.NEGATIVE_INFINITY })).toThrow(
      'chainBackpropInto: y must be a finite number, got -Infinity',
    );
    expect(call({ acts: acts.slice(0, 2) })).toThrow(
      'chainBackpropInto: acts must be an array of depth = 3 Activations, got Array(2)',
    );
    expect(call({ ws: createChainWorkspace(2) })).toThrow(
      'chainBackpropInto: ws must be a ChainWorkspace of depth 3 (createChainWorkspace(3)), got depth 2',
    );
    expect(call({ gradOut: new Float64Array(4) })).toThrow(
      'chainBackpropInto: gradOut must be a Float64Array of length 2·depth = 6, got Float64Array(4)',
    );
    expect(call({ params: null })).toThrow(ValidationError);
    expect(call({ params: null })).toThrow(
      'chainBackpropInto: params must be a Float64Array of length 2·depth = 6, got null',
    );
    expect(call({ ws: undefined })).toThrow(
      'chainBackpropInto: ws must be a ChainWorkspace of depth 3 (createChainWorkspace(3)), got depth undefined',
    );
    expect(call({ acts: ['sigmoid', 'sigmoid', 'identity'] })).toThrow(
      'chainBackpropInto: acts[0] must be an Activation (from activation(spec)), got "sigmoid"',
    );
    expect(call({ acts: null })).toThrow(
      'chainBackpropInto: acts must be an array of depth = 3 Activations, got null',
    );
    expect(() => createChainWorkspace(0)).toThrow(
      'createChainWorkspace: depth must be an integer ≥ 1, got 0',
    );
  });
});
