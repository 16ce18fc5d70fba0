import { spawnSync } from 'node:child_process';
import { seeded } from '@annlab/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivationSpec } from '../../activations/index.js';
import { key } from '../../random/index.js';
import {
  createMlpWorkspace,
  initMlp,
  type MlpSpec,
  type MlpWorkspace,
  mlpForward,
  mlpSpec,
  mlpValueAndGradient,
} from './index.js';
import { applyActivation, multiplyDerivative } from './kernels.js';
import { Act } from './spec.js';
import { api, setDenseWasmEnabled } from './wasm.js';
import { createDenseWasmF32, denseF32Kernel, moduleBytes, setDenseF32Variant } from './wasmF32.js';

afterEach(() => {
  setDenseWasmEnabled(true);
  setDenseF32Variant(undefined);
});

const U = 2 ** -24; // float32 unit round-off

function usesWasm(ws: MlpWorkspace): boolean {
  return (ws as unknown as { wasm: unknown }).wasm !== null;
}

/** C = I + X·Y in float64 from the float32 inputs, with Σ|X·Y| per entry (for the error bound). */
function reference(
  X: (m: number, k: number) => number,
  Y: Float32Array,
  I: (m: number, j: number) => number,
  M: number,
  N: number,
  K: number,
) {
  const ref = new Float64Array(M * N);
  const mag = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let j = 0; j < N; j++) {
      let s = I(m, j);
      let a = Math.abs(s);
      for (let k = 0; k < K; k++) {
        s += X(m, k) * Y[k * N + j]!;
        a += Math.abs(X(m, k) * Y[k * N + j]!);
      }
      ref[m * N + j] = s;
      mag[m * N + j] = a;
    }
  }
  return { ref, mag };
}

/** |got − ref| ≤ (K + 2)·u·Σ|terms| for every entry: the bound of a float32 recursive sum. */
function expectWithinSumBound(got: Float32Array, ref: Float64Array, mag: Float64Array, K: number) {
  for (let q = 0; q < ref.length; q++) {
    const bound = (K + 2) * U * mag[q]!;
    if (!(Math.abs(got[q]! - ref[q]!) <= bound)) {
      throw new Error(`entry ${q}: ${got[q]} vs ${ref[q]} (bound ${bound})`);
    }
  }
}

describe('the float32 WebAssembly kernel (f32x4)', () => {
  it('is detected once: relaxed SIMD where it validates, else plain SIMD; plain SIMD can be forced; off with the float64 kernel', () => {
    const relaxedValid = api()!.validate(moduleBytes(true));
    expect(api()!.validate(moduleBytes(false))).toBe(true);
    expect(denseF32Kernel()).toBe(relaxedValid ? 'relaxed-simd' : 'simd');
    setDenseF32Variant('simd');
    expect(denseF32Kernel()).toBe('simd');
    expect(createDenseWasmF32(1000)!.kernel).toBe('simd');
    setDenseWasmEnabled(false);
    expect(denseF32Kernel()).toBe('none');
    expect(createDenseWasmF32(1000)).toBeNull();
  });

  it.each([
    [4, 4, 1],
    [4, 8, 3],
    [8, 12, 5], // one 4×8 block and one 4×4 tail per row block
    [12, 20, 64],
    [16, 36, 300],
  ])(
    'mm: C = bias + X·Y, X plain, transposed and constant, then C += X·Y (M=%i, N=%i, K=%i; float32 sum bound)',
    (M, N, K) => {
      const w = createDenseWasmF32(4 * 65536 * 4)!;
      const f = new Float32Array(w.buffer);
      const r = seeded(M * 1000 + N * 10 + K);
      // floats: X at 0, Xᵀ at 20000, Y at 40000, bias at 60000, C at 80000, one at 100000
      const X = Float32Array.from(r.array(M * K, -1, 1));
      const Y = Float32Array.from(r.array(K * N, -1, 1));
      const bias = Float32Array.from(r.array(N, -1, 1));
      f.set(X, 0);
      for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) f[20000 + k * M + m] = X[m * K + k]!;
      f.set(Y, 40000);
      f.set(bias, 60000);
      f[100000] = 1;
      f[80000 + M * N] = 42;
      const Xat = (m: number, k: number) => X[m * K + k]!;
      const plain = reference(Xat, Y, (_, j) => bias[j]!, M, N, K);
      w.mm(0, K * 4, 4, 160000, N * 4, 320000, 240000, 0, M, N, K);
      expectWithinSumBound(f.subarray(80000, 80000 + M * N), plain.ref, plain.mag, K);
      f.fill(0, 80000, 80000 + M * N);
      w.mm(80000, 4, M * 4, 160000, N * 4, 320000, 240000, 0, M, N, K); // X read transposed
      expectWithinSumBound(f.subarray(80000, 80000 + M * N), plain.ref, plain.mag, K);
      expect(f[80000 + M * N]).toBe(42); // nothing written past C
      // C += X·Y (init = C, stride 4N): twice the product plus the bias
      const before = Float64Array.from(f.subarray(80000, 80000 + M * N));
      w.mm(0, K * 4, 4, 160000, N * 4, 320000, 320000, N * 4, M, N, K);
      const twice = reference(Xat, Y, (m, j) => before[m * N + j]!, M, N, K);
      expectWithinSumBound(f.subarray(80000, 80000 + M * N), twice.ref, twice.mag, K);
      // X constant 1 (both strides 0): every row of C is bias + Σₖ Y[k][·]
      w.mm(400000, 0, 0, 160000, N * 4, 320000, 240000, 0, M, N, K);
      const ones = reference(
        () => 1,
        Y,
        (_, j) => bias[j]!,
        M,
        N,
        K,
      );
      expectWithinSumBound(f.subarray(80000, 80000 + M * N), ones.ref, ones.mag, K);
    },
  );

  it('th: tanh of float32 quads within 2 ulp of Math.tanh, keeps ±0, NaN, ±1 and leaves entries past the count', () => {
    const w = createDenseWasmF32(65536 * 4)!;
    const f = new Float32Array(w.buffer);
    const r = seeded(7);
    const n = 4000;
    for (let q = 0; q < n; q++) {
      const s = r.uniform() < 0.5 ? -1 : 1;
      f[q] =
        s *
        (q % 4 === 0
          ? r.range(0, 12)
          : q % 4 === 1
            ? r.range(0, 1)
            : q % 4 === 2
              ? r.range(8.5, 9.5) // both sides of the ±1 cut at 9.1
              : 10 ** r.range(-9, -1));
    }
    const special = [0, -0, Number.NaN, Infinity, -Infinity, 10, -10, 2 ** -13];
    f.set(special, 0);
    f.fill(42, 8000 + n, 8000 + n + 4);
    w.th(0, 8000 * 4, n / 4);
    const out = f.subarray(8000, 8000 + n);
    const want = [0, -0, Number.NaN, 1, -1, 1, -1, 2 ** -13];
    for (let k = 0; k < want.length; k++) expect(Object.is(out[k], want[k])).toBe(true);
    let worst = 0;
    for (let q = special.length; q < n; q++) {
      const t = Math.tanh(f[q]!);
      worst = Math.max(worst, Math.abs(out[q]! - t) / (U * Math.abs(t)));
    }
    console.log(`float32 tanh: worst error ${worst.toFixed(2)} u (u = 2⁻²⁴, relative)`);
    // float32 steps (reduction, degree-7 expm1, one division): within 2 ulp = 4u relative
    // (measured 2.45u)
    expect(worst).toBeLessThanOrEqual(4);
    expect(Array.from(f.subarray(8000 + n, 8000 + n + 4))).toEqual([42, 42, 42, 42]);
  });

  it('rl and drl: ReLU and its derivative times g equal the JS kernels element by element (Object.is), NaN and ±0 included', () => {
    const w = createDenseWasmF32(65536 * 4)!;
    const f = new Float32Array(w.buffer);
    const r = seeded(9);
    const n = 400;
    const z = Float32Array.from(r.array(n, -3, 3));
    z.set([0, -0, Number.NaN, Infinity, -Infinity, 1e-40, -1e-40], 0);
    const g = Float32Array.from(r.array(n, -1, 1));
    g[10] = Number.NaN;
    f.set(z, 0);
    f.set(g, 1000);
    w.rl(0, 2000 * 4, n / 4);
    w.drl(0, 1000 * 4, 3000 * 4, n / 4);
    const relu = new Float32Array(n);
    const grad = new Float32Array(n);
    applyActivation(Act.Relu, 0, z, relu, n);
    multiplyDerivative(Act.Relu, 0, z, relu, g, grad, n);
    for (let q = 0; q < n; q++) {
      expect(Object.is(f[2000 + q], relu[q])).toBe(true);
      expect(Object.is(f[3000 + q], grad[q])).toBe(true);
    }
  });

  it('relaxed SIMD (FMA): where Node validates it (--experimental-wasm-relaxed-simd) the product is within the same bound', () => {
    const bytes = Buffer.from(moduleBytes(true)).toString('base64');
    // a child Node with the flag: compile, run one 8×12×50 product, print max |error| / bound
    const script = `
      const b = Buffer.from(${JSON.stringify(bytes)}, 'base64');
      if (!WebAssembly.validate(b)) { console.log('invalid'); process.exit(0); }
      const mem = new WebAssembly.Memory({ initial: 4 });
      const { mm } = new WebAssembly.Instance(new WebAssembly.Module(b), { e: { m: mem } }).exports;
      const f = new Float32Array(mem.buffer);
      const M = 8, N = 12, K = 50;
      for (let q = 0; q < M * K; q++) f[q] = Math.sin(q);
      for (let q = 0; q < K * N; q++) f[1000 + q] = Math.cos(q * 0.7);
      mm(0, K * 4, 4, 4000, N * 4, 8000, 12000, 0, M, N, K); // bias: zeros at 12000
      let worst = 0;
      for (let m = 0; m < M; m++) for (let j = 0; j < N; j++) {
        let s = 0, a = 0;
        for (let k = 0; k < K; k++) { const t = f[m * K + k] * f[1000 + k * N + j]; s += t; a += Math.abs(t); }
        worst = Math.max(worst, Math.abs(f[2000 + m * N + j] - s) / ((K + 2) * 2 ** -24 * a));
      }
      console.log(worst);`;
    const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', script], {
      encoding: 'utf8',
    });
    const out = run.stdout.trim();
    if (out === 'invalid') return; // a Node without relaxed SIMD even under the flag
    expect(Number(out)).toBeLessThanOrEqual(1); // error / (K + 2)·u·Σ|terms|
  });
});

describe("MLP passes with dtype 'float32' on the f32x4 kernel", () => {
  const cases: [number[], ActivationSpec, ActivationSpec, number][] = [
    [[2, 16, 16, 8, 1], 'relu', 'identity', 301], // W5's shape, batch past two gradient slices
    [[1, 8, 8, 1], 'tanh', 'identity', 37],
    [[2, 12, 8, 4, 2], 'gelu', 'tanh', 9],
    [[3, 4, 4, 4], 'sigmoid', 'sigmoid', 5],
  ];
  const data = (spec: MlpSpec, batch: number, seed: number) => {
    const r = seeded(seed);
    return {
      X: r.array(batch * spec.sizes[0]!, -1.5, 1.5),
      Y: r.array(batch * spec.sizes[spec.sizes.length - 1]!, 0, 1),
      params: initMlp(spec, key(seed), { init: 'normal', scale: 0.8 }) as Float64Array,
    };
  };
  it.each(cases)(
    'sizes %j (%j hidden, %j out), batch %i: forward, loss and gradient follow the float64 path (float32 tolerances)',
    (sizes, hidden, output, batch) => {
      const spec = mlpSpec(sizes, hidden, output);
      const ws32 = createMlpWorkspace(spec, batch, 'float32');
      const ws64 = createMlpWorkspace(spec, batch);
      expect(usesWasm(ws32)).toBe(true);
      for (const b of [batch, Math.max(1, batch - 3)]) {
        const { X, Y, params } = data(spec, b, b + sizes.length);
        const y64 = Float64Array.from(mlpForward(spec, params, X, b, ws64));
        const y32 = mlpForward(spec, Float32Array.from(params), Float32Array.from(X), b, ws32);
        expect(y32).toBeInstanceOf(Float32Array);
        const scale = Math.max(...y64.map(Math.abs));
        // inputs and weights rounded to float32 (u each), ≤ 20 terms per sum, 3–4 layers:
        // |error| ≤ 1e-5 of the largest output
        expect(y32).toBeAllclose(y64, { rtol: 0, atol: 1e-5 * scale });
        const g64 = new Float64Array(params.length);
        const g32 = new Float32Array(params.length);
        const v64 = mlpValueAndGradient(spec, params, X, Y, b, 'mse', ws64, g64);
        const v32 = mlpValueAndGradient(
          spec,
          Float32Array.from(params),
          Float32Array.from(X),
          Float32Array.from(Y),
          b,
          'mse',
          ws32,
          g32,
        );
        expect(v32).toBeAllclose(v64, { rtol: 1e-5, atol: 0 });
        // batch sums of up to 301 float32 terms: |error| ≤ 2e-5 of the largest gradient entry
        const gmax = Math.max(...g64.map(Math.abs));
        expect(g32).toBeAllclose(g64, { rtol: 0, atol: 2e-5 * gmax });
      }
    },
  );
  it('agrees with the float32 JS kernels (rtol 0, atol 1e-6 of the largest gradient entry)', () => {
    const spec = mlpSpec([2, 8, 8, 4], 'tanh');
    const { X, Y, params } = data(spec, 33, 3);
    const p32 = Float32Array.from(params);
    const x32 = Float32Array.from(X);
    const y32 = Float32Array.from(Y);
    const gW = new Float32Array(params.length);
    const gJ = new Float32Array(params.length);
    const wsW = createMlpWorkspace(spec, 33, 'float32');
    setDenseWasmEnabled(false);
    const wsJ = createMlpWorkspace(spec, 33, 'float32');
    setDenseWasmEnabled(true);
    expect(usesWasm(wsW)).toBe(true);
    expect(usesWasm(wsJ)).toBe(false);
    mlpValueAndGradient(spec, p32, x32, y32, 33, 'sse', wsW, gW);
    mlpValueAndGradient(spec, p32, x32, y32, 33, 'sse', wsJ, gJ);
    const gmax = Math.max(...gJ.map(Math.abs));
    // both float32; the JS kernels sum in float64 and round once, the f32x4 kernel rounds each add
    expect(gW).toBeAllclose(gJ, { rtol: 0, atol: 1e-6 * gmax });
  });
});
