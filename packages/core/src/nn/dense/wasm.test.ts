import { numericGradient, seeded } from '@annlab/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivationSpec } from '../../activations/index.js';
import { key } from '../../random/index.js';
import {
  createMlpWorkspace,
  initMlp,
  type MlpSpec,
  type MlpWorkspace,
  mlpBackward,
  mlpForward,
  mlpPredict,
  mlpSpec,
  mlpValueAndGradient,
} from './index.js';
import { createDenseWasm, denseWasmAvailable, setDenseWasmEnabled } from './wasm.js';

afterEach(() => setDenseWasmEnabled(true));

function instance() {
  const wasm = createDenseWasm(4 * 65536);
  if (wasm === null) throw new Error('WebAssembly SIMD is unavailable in this Node');
  return { f64: new Float64Array(wasm.buffer), mm: wasm.mm, th: wasm.th };
}

function usesWasm(ws: MlpWorkspace): boolean {
  return (ws as unknown as { wasm: unknown }).wasm !== null;
}

describe('the WebAssembly dense kernel', () => {
  it('compiles in Node (SIMD is available); each instance has its own memory; can be switched off', () => {
    expect(denseWasmAvailable()).toBe(true);
    const a = createDenseWasm(1000)!;
    expect(a.buffer.byteLength).toBeGreaterThanOrEqual(65536);
    expect(createDenseWasm(1000)!.buffer).not.toBe(a.buffer); // one memory per instance
    setDenseWasmEnabled(false);
    expect(denseWasmAvailable()).toBe(false);
    expect(createDenseWasm(1000)).toBeNull();
  });
  it.each([
    [4, 4, 1],
    [8, 12, 5],
    [12, 8, 64],
    [4, 64, 3],
  ])('mm: C = bias + X·Y for M=%i, N=%i, K=%i, X plain and transposed (rtol 1e-15)', (M, N, K) => {
    const { f64, mm } = instance();
    const r = seeded(M * 100 + N * 10 + K);
    // doubles: X at 0, Xᵀ at 5000, Y at 10000, bias at 15000, C at 20000
    const X = r.array(M * K, -1, 1);
    const Y = r.array(K * N, -1, 1);
    const bias = r.array(N, -1, 1);
    f64.set(X, 0);
    for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) f64[5000 + k * M + m] = X[m * K + k]!;
    f64.set(Y, 10000);
    f64.set(bias, 15000);
    const ref: number[] = [];
    for (let m = 0; m < M; m++) {
      for (let j = 0; j < N; j++) {
        let s = bias[j]!;
        for (let k = 0; k < K; k++) s += X[m * K + k]! * Y[k * N + j]!;
        ref.push(s);
      }
    }
    mm(0, K * 8, 8, 80000, N * 8, 160000, 120000, 0, M, N, K);
    expect(f64.subarray(20000, 20000 + M * N)).toBeAllclose(ref, { rtol: 1e-15, atol: 0 });
    f64.fill(0, 20000, 20000 + M * N);
    mm(40000, 8, M * 8, 80000, N * 8, 160000, 120000, 0, M, N, K);
    expect(f64.subarray(20000, 20000 + M * N)).toBeAllclose(ref, { rtol: 1e-15, atol: 0 });
    expect(f64[20000 + M * N]).toBe(0); // nothing written past C
  });
  it('mm with initStride = 8N adds the product to C in place: two K slices give the whole product (rtol 1e-14)', () => {
    const { f64, mm } = instance();
    const [M, N, K, K1] = [8, 12, 37, 16];
    const r = seeded(91);
    // doubles: X (M × K, read transposed from K × M at 5000), Y at 10000, zeros at 15000, C at 20000
    const X = r.array(M * K, -1, 1);
    const Y = r.array(K * N, -1, 1);
    for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) f64[5000 + k * M + m] = X[m * K + k]!;
    f64.set(Y, 10000);
    f64.fill(0, 15000, 15000 + N);
    const ref: number[] = [];
    for (let m = 0; m < M; m++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += X[m * K + k]! * Y[k * N + j]!;
        ref.push(s);
      }
    }
    // first slice from zeros (initStride 0), the second started at C itself (initStride 8N)
    mm(40000, 8, M * 8, 80000, N * 8, 160000, 120000, 0, M, N, K1);
    mm(
      40000 + K1 * M * 8,
      8,
      M * 8,
      80000 + K1 * N * 8,
      N * 8,
      160000,
      160000,
      N * 8,
      M,
      N,
      K - K1,
    );
    expect(f64.subarray(20000, 20000 + M * N)).toBeAllclose(ref, { rtol: 1e-14, atol: 1e-15 });
    expect(f64[20000 + M * N]).toBe(0); // nothing written past C
  });
  it('th: tanh of pairs agrees with Math.tanh (rtol 6e-16) and keeps the edge contracts', () => {
    const { f64, th } = instance();
    const r = seeded(5);
    const n = 4001;
    for (let q = 0; q < n; q++) {
      const s = r.uniform() < 0.5 ? -1 : 1;
      f64[q] =
        s * (q % 3 === 0 ? r.range(0, 25) : q % 3 === 1 ? r.range(0, 1) : 10 ** r.range(-12, -1));
    }
    const special = [0, -0, 1e-300, -5e-324, Number.NaN, Infinity, -Infinity, 19.2, -300];
    f64.set(special, 0);
    f64[8000 + n] = 42;
    th(0, 8000 * 8, (n - 1) / 2); // an even count: entry n − 1 and beyond untouched
    const out = f64.subarray(8000, 8000 + n - 1);
    const want = [0, -0, 1e-300, -5e-324, Number.NaN, 1, -1, 1, -1];
    for (let k = 0; k < want.length; k++) expect(Object.is(out[k], want[k])).toBe(true);
    const ref = Array.from(f64.subarray(special.length, n - 1), Math.tanh);
    expect(out.subarray(special.length)).toBeAllclose(ref, { rtol: 6e-16, atol: 0 });
    expect(f64[8000 + n - 1]).toBe(0);
    expect(f64[8000 + n]).toBe(42);
  });
});

describe('MLP passes on the WebAssembly path', () => {
  const cases: [number[], ActivationSpec, ActivationSpec][] = [
    [[1, 8, 8, 3], 'tanh', 'identity'],
    [[2, 12, 8, 4, 2], 'gelu', 'tanh'],
    [[3, 4, 4, 4], 'sigmoid', 'sigmoid'],
    [[1, 16, 8, 1], { name: 'elu', alpha: 0.5 }, 'identity'],
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
    'sizes %j (%j hidden): forward and gradient equal the JS kernels for batches 1, 5, 9, 16 (rtol 1e-12)',
    (sizes, hidden, output) => {
      const spec = mlpSpec(sizes, hidden, output);
      const wasmWs = createMlpWorkspace(spec, 16);
      setDenseWasmEnabled(false);
      const jsWs = createMlpWorkspace(spec, 16);
      setDenseWasmEnabled(true);
      expect(usesWasm(wasmWs)).toBe(true);
      expect(usesWasm(jsWs)).toBe(false);
      for (const batch of [16, 5, 1, 9]) {
        const { X, Y, params } = data(spec, batch, batch + sizes.length);
        const yW = Float64Array.from(mlpForward(spec, params, X, batch, wasmWs));
        const yJ = mlpForward(spec, params, X, batch, jsWs);
        expect(yW).toBeAllclose(yJ, { rtol: 1e-12, atol: 1e-15 });
        const gW = new Float64Array(params.length);
        const gJ = new Float64Array(params.length);
        const vW = mlpValueAndGradient(spec, params, X, Y, batch, 'mse', wasmWs, gW);
        const vJ = mlpValueAndGradient(spec, params, X, Y, batch, 'mse', jsWs, gJ);
        expect(vW).toBeAllclose(vJ, { rtol: 1e-12, atol: 0 });
        expect(gW).toBeAllclose(gJ, { rtol: 1e-11, atol: 1e-14 });
      }
    },
  );
  it('the gradient matches central differences of the loss (rtol 1e-6, atol 1e-8)', () => {
    const spec = mlpSpec([2, 8, 8, 2], 'tanh');
    const { X, Y, params } = data(spec, 7, 21);
    const ws = createMlpWorkspace(spec, 7);
    expect(usesWasm(ws)).toBe(true);
    const g = new Float64Array(params.length);
    mlpValueAndGradient(spec, params, X, Y, 7, 'sse', ws, g);
    const numeric = numericGradient(
      (p: Float64Array) =>
        mlpValueAndGradient(spec, p, X, Y, 7, 'sse', ws, new Float64Array(p.length)),
      params,
    );
    expect(g).toBeAllclose(numeric, { rtol: 1e-6, atol: 1e-8 });
  });
  it('mlpBackward from an outside dOut equals mlpValueAndGradient and leaves dOut unchanged (rtol 0)', () => {
    const spec = mlpSpec([1, 8, 4, 4], 'tanh');
    const { X, Y, params } = data(spec, 6, 4);
    const ws = createMlpWorkspace(spec, 8);
    const g1 = new Float64Array(params.length);
    mlpValueAndGradient(spec, params, X, Y, 6, 'sse', ws, g1);
    const out = Float64Array.from(mlpForward(spec, params, X, 6, ws));
    const dOut = out.map((y, k) => 2 * (y - Y[k]!)); // ∂SSE/∂ŷ
    const copy = dOut.slice();
    const g2 = new Float64Array(params.length);
    mlpBackward(spec, params, ws, dOut, 6, g2);
    expect(g2).toBeAllclose(g1, { rtol: 0, atol: 0 });
    expect(dOut).toBeAllclose(copy, { rtol: 0, atol: 0 });
  });
  it('padding rows do not leak: a reused workspace equals a fresh one bit for bit (rtol 0)', () => {
    const spec = mlpSpec([1, 8, 8, 1], 'tanh');
    const big = data(spec, 12, 1);
    const small = data(spec, 5, 2);
    const used = createMlpWorkspace(spec, 12);
    const g = new Float64Array(big.params.length);
    // NaN in the big batch's rows 5..11 would poison the small batch if padding rows were read
    const Xnan = big.X.slice();
    Xnan.fill(Number.NaN, 5);
    mlpValueAndGradient(spec, big.params, Xnan, big.Y, 12, 'mse', used, g);
    const fresh = createMlpWorkspace(spec, 12);
    const g1 = new Float64Array(g.length);
    const g2 = new Float64Array(g.length);
    const v1 = mlpValueAndGradient(spec, small.params, small.X, small.Y, 5, 'mse', used, g1);
    const v2 = mlpValueAndGradient(spec, small.params, small.X, small.Y, 5, 'mse', fresh, g2);
    expect(v1).toBe(v2);
    expect(Number.isFinite(v1)).toBe(true);
    expect(g1).toBeAllclose(g2, { rtol: 0, atol: 0 });
  });
  it('layer 0, widths not divisible by 4 and mlpPredict stay on the JS kernels (rtol 1e-12 to the WebAssembly path)', () => {
    expect(usesWasm(createMlpWorkspace(mlpSpec([4, 8, 1], 'tanh'), 4))).toBe(false);
    expect(usesWasm(createMlpWorkspace(mlpSpec([1, 8, 6, 1], 'tanh'), 4))).toBe(false);
    const spec = mlpSpec([1, 8, 8, 1], 'tanh');
    const { X, params } = data(spec, 9, 3);
    // mlpPredict makes a one-off plain workspace: its result owns its buffer, no linear memory
    const y = mlpPredict(spec, params, X);
    expect(y.buffer.byteLength).toBe(y.byteLength);
    expect(y).toBeAllclose(
      Float64Array.from(mlpForward(spec, params, X, 9, createMlpWorkspace(spec, 9))),
      { rtol: 1e-12, atol: 1e-15 },
    );
  });
});
