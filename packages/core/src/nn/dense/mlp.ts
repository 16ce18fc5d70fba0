/**
 * Batched forward and backward passes of a dense network over typed arrays, in float64 or float32,
 * with a preallocated workspace so the training loop allocates nothing.
 */
import type { FloatArray } from '../../activations/index.js';
import { assertAllFinite, formatValue, invalidArgument, ShapeError } from '../../errors.js';
import {
  applyActivation,
  denseForward,
  denseGradBias,
  denseGradInput,
  denseGradParams,
  multiplyDerivative,
} from './kernels.js';
import { type LossName, loss, sceLabels } from './loss.js';
import { Act, type MlpSpec, type ResolvedSpec, resolveSpec, sameSpec } from './spec.js';
import { createDenseWasm, type DenseMatmul, type DenseTanh } from './wasm.js';
import {
  createDenseWasmF32,
  type DenseMatmulF32,
  type DenseReluF32,
  type DenseReluGradF32,
  type DenseWasmF32,
  type denseF32Kernel,
} from './wasmF32.js';

/** Element type of parameters and workspaces. */
export type MlpDtype = 'float64' | 'float32';

/**
 * Preallocated buffers for a batch of up to `batchSize` samples, made by
 * {@link createMlpWorkspace}. Reuse one workspace for every step: {@link mlpForward},
 * {@link mlpBackward} and {@link mlpValueAndGradient} then allocate nothing.
 */
export interface MlpWorkspace {
  /** The largest batch this workspace holds. */
  readonly batchSize: number;
  /** Element type of every buffer. */
  readonly dtype: MlpDtype;
  /** Pre-activations Z of each layer (batchSize × width, row-major), as of the last forward pass. */
  readonly preActivations: readonly FloatArray[];
  /** Activations A = f(Z) of each layer; the last one is the network's output. */
  readonly activations: readonly FloatArray[];
}

/**
 * A layer l ≥ 1 whose widths are multiples of 4 runs its three products in a WebAssembly SIMD
 * kernel (wasm.ts for float64, wasmF32.ts for float32). Its weights (also transposed), biases and
 * weight gradient live in the workspace's linear memory, as views of the workspace's dtype.
 */
interface WasmLayer {
  /** Wᵀ (in × out), W (out × in), b (out), ∂L/∂W (out × in). */
  readonly wt: FloatArray;
  readonly w: FloatArray;
  readonly bias: FloatArray;
  readonly gw: FloatArray;
}

/** The WebAssembly side of a workspace whose buffers all live in one linear memory. */
interface WasmState {
  /** float64 workspaces: the f64x2 product; null in float32 workspaces. */
  readonly mm: DenseMatmul | null;
  /** tanh of pairs (float64) or of quads (float32). */
  readonly th: DenseTanh;
  /** float32 workspaces: the f32x4 product and ReLU; null in float64 workspaces. */
  readonly mm32: DenseMatmulF32 | null;
  readonly relu32: DenseReluF32 | null;
  readonly reluGrad32: DenseReluGradF32 | null;
  /** Per layer: the WebAssembly layer, or null where the JS kernels run. */
  readonly layers: (WasmLayer | null)[];
  /** Byte offset of a zero vector of maxWidth elements (the bias of the plain products). */
  readonly zerosPtr: number;
  /** float32: byte offset of one 1.0 (X of the bias-gradient product, read with strides 0). */
  readonly onePtr: number;
  /** float32: 4 × maxWidth scratch rows for the bias gradient (every row holds Σₙ G[n][·]). */
  readonly biasSums: FloatArray;
}

/**
 * Weight gradients (float32 and float64 WebAssembly kernels) sum the batch in slices of this many
 * samples (each slice of G and A then stays in cache while every block of ∂L/∂W passes over it).
 * Measured in float32 for 256 × 256 over 4096 rows (GFLOP/s per CPU second): slices of 64 or 128
 * 32, 256 28, 512 26, 1024 20, unsliced 13. float64 slices hold twice the bytes per sample.
 */
const GRAD_SLICE = 128;

/** A workspace's activation and adjoint buffers. */
interface Buffers {
  preActivations: FloatArray[];
  activations: FloatArray[];
  back0: FloatArray;
  back1: FloatArray;
  dOut: FloatArray;
}

/** Byte offset of a view into the workspace's linear memory (the kernels' pointers). */
function ptr(a: FloatArray): number {
  return a.byteOffset;
}

/** Whether layer l runs in WebAssembly: not the first (its input is the caller's X), widths ÷ 4. */
function isWasmLayer(sizes: readonly number[], l: number): boolean {
  return l >= 1 && sizes[l]! % 4 === 0 && sizes[l + 1]! % 4 === 0;
}

/**
 * Buffers in plain typed arrays, for float32, for networks without a WebAssembly layer, and
 * where WebAssembly SIMD is unavailable.
 */
function plainBuffers(resolved: ResolvedSpec, batchSize: number, dtype: MlpDtype): Buffers {
  const make = (n: number): FloatArray =>
    dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const { sizes, acts } = resolved;
  const preActivations: FloatArray[] = [];
  const activations: FloatArray[] = [];
  for (let l = 0; l < acts.length; l++) {
    const z = make(batchSize * sizes[l + 1]!);
    preActivations.push(z);
    // An identity layer's activations are its pre-activations: no copy, no second buffer.
    activations.push(acts[l] === Act.Identity ? z : make(batchSize * sizes[l + 1]!));
  }
  return {
    preActivations,
    activations,
    back0: make(batchSize * resolved.maxWidth),
    back1: make(batchSize * resolved.maxWidth),
    dOut: make(batchSize * resolved.outSize),
  };
}

/**
 * Buffers as views of one WebAssembly linear memory, with the WebAssembly layers' weights, or
 * null where that path does not apply. Each activation buffer holds the batch rounded up to 4 rows
 * (the kernel's row block) and shows batchSize rows; offsets stay 16-byte aligned.
 */
function wasmBuffers(
  resolved: ResolvedSpec,
  batchSize: number,
  dtype: MlpDtype,
): { buffers: Buffers; state: WasmState } | null {
  const { sizes, acts, maxWidth, outSize } = resolved;
  if (!acts.some((_, l) => isWasmLayer(sizes, l))) return null;
  const padded = Math.ceil(batchSize / 4) * 4;
  const f32 = dtype === 'float32';
  const bytes = f32 ? 4 : 8;
  // Past 1 GiB the JS kernels run (large mlpPredict calls): no huge linear memory.
  const total = sizes.reduce((t, n) => t + n, 0);
  if (bytes * padded * (2 * total + 3 * maxWidth) + 4 * bytes * total * maxWidth >= 2 ** 30) {
    return null;
  }
  // in elements; every buffer starts 16-byte aligned
  const align = 16 / bytes;
  let cursor = 0;
  const reserve = (n: number): number => {
    const at = cursor;
    cursor += Math.ceil(n / align) * align;
    return at;
  };
  const pre = acts.map((_, l) => reserve(padded * sizes[l + 1]!));
  const post = acts.map((a, l) => (a === Act.Identity ? pre[l]! : reserve(padded * sizes[l + 1]!)));
  const back0 = reserve(padded * maxWidth);
  const back1 = reserve(padded * maxWidth);
  const dOut = reserve(padded * outSize);
  const zeros = reserve(maxWidth);
  const weights = acts.map((_, l) => {
    if (!isWasmLayer(sizes, l)) return null;
    const size = sizes[l]! * sizes[l + 1]!;
    return [reserve(size), reserve(size), reserve(sizes[l + 1]!), reserve(size)] as const;
  });
  const one = reserve(1);
  const biasSums = f32 ? reserve(4 * maxWidth) : 0;
  const wasm = f32 ? createDenseWasmF32(cursor * 4) : createDenseWasm(cursor * 8);
  if (wasm === null) return null;
  // (the two kernels' `mm` share a signature, so `'kernel' in wasm` alone does not narrow)
  const w32 = 'kernel' in wasm ? (wasm as DenseWasmF32) : null;
  const view = (at: number, n: number): FloatArray =>
    f32 ? new Float32Array(wasm.buffer, at * 4, n) : new Float64Array(wasm.buffer, at * 8, n);
  view(one, 1)[0] = 1;
  const widths = acts.map((_, l) => batchSize * sizes[l + 1]!);
  return {
    buffers: {
      preActivations: pre.map((at, l) => view(at, widths[l]!)),
      activations: post.map((at, l) => view(at, widths[l]!)),
      back0: view(back0, batchSize * maxWidth),
      back1: view(back1, batchSize * maxWidth),
      dOut: view(dOut, batchSize * outSize),
    },
    state: {
      mm: w32 ? null : wasm.mm,
      th: wasm.th,
      mm32: w32 ? w32.mm : null,
      relu32: w32 ? w32.rl : null,
      reluGrad32: w32 ? w32.drl : null,
      zerosPtr: zeros * bytes,
      onePtr: one * bytes,
      biasSums: view(biasSums, 4 * maxWidth),
      layers: weights.map((at, l) => {
        if (at === null) return null;
        const size = sizes[l]! * sizes[l + 1]!;
        return {
          wt: view(at[0], size),
          w: view(at[1], size),
          bias: view(at[2], sizes[l + 1]!),
          gw: view(at[3], size),
        };
      }),
    },
  };
}

class Workspace implements MlpWorkspace {
  readonly preActivations: FloatArray[];
  readonly activations: FloatArray[];
  /** Φ(Z) of each exact-GELU layer (float64 also in float32 workspaces), else null. */
  readonly cdf: (Float64Array | null)[] = [];
  /** Ping-pong buffers for ∂L/∂Z while walking the layers backwards. */
  readonly back0: FloatArray;
  readonly back1: FloatArray;
  /** ∂L/∂output written by the loss in mlpValueAndGradient. */
  readonly dOut: FloatArray;
  /** The input of the last forward pass (kept by reference for the backward pass). */
  input: FloatArray | null = null;
  lastBatch = 0;
  /** Cached view of the output for `viewBatch` samples, so repeated batches allocate nothing. */
  view: FloatArray | null = null;
  viewBatch = 0;
  /** Non-null where some layer runs in WebAssembly (then every buffer is in its memory). */
  readonly wasm: WasmState | null;

  /** `wasm: false` keeps plain typed arrays (one-off passes: a linear memory costs ~0.5 ms). */
  constructor(
    readonly resolved: ResolvedSpec,
    readonly batchSize: number,
    readonly dtype: MlpDtype,
    wasm = true,
  ) {
    const w = wasm ? wasmBuffers(resolved, batchSize, dtype) : null;
    const b = w === null ? plainBuffers(resolved, batchSize, dtype) : w.buffers;
    this.wasm = w === null ? null : w.state;
    this.preActivations = b.preActivations;
    this.activations = b.activations;
    this.back0 = b.back0;
    this.back1 = b.back1;
    this.dOut = b.dOut;
    const { sizes, acts } = resolved;
    for (let l = 0; l < acts.length; l++) {
      this.cdf.push(acts[l] === Act.Gelu ? new Float64Array(batchSize * sizes[l + 1]!) : null);
    }
  }

  output(batch: number): FloatArray {
    const out = this.activations[this.activations.length - 1]!;
    if (batch === this.batchSize) return out;
    if (this.viewBatch !== batch || this.view === null) {
      this.view = out.subarray(0, batch * this.resolved.outSize);
      this.viewBatch = batch;
    }
    return this.view;
  }
}

/**
 * Buffers for forward and backward passes of `spec` on batches of up to `batchSize` samples.
 *
 * When some layer after the first has widths divisible by 4 (e.g. 1→64→64→1), the buffers live in
 * a WebAssembly memory of their own and those layers' products (and tanh) run in a WebAssembly SIMD
 * kernel: f64x2 in float64, f32x4 in float32 (with relaxed SIMD's fused multiply-add where the
 * runtime has it; {@link denseF32Kernel} says which). Where WebAssembly SIMD is unavailable the JS
 * kernels run. Results agree to rounding (sums in a different order; in float32 the f32x4 kernel
 * rounds every addition, the JS kernels once per sum).
 *
 * @param dtype `'float64'` (default) or `'float32'`: the element type of every buffer; use the
 *   dtype of the parameters (see {@link initMlp}).
 * @example
 * ```ts
 * const spec = mlpSpec([1, 64, 64, 1], 'tanh');
 * const ws = createMlpWorkspace(spec, 256);
 * ```
 */
export function createMlpWorkspace(
  spec: MlpSpec,
  batchSize: number,
  dtype: MlpDtype = 'float64',
): MlpWorkspace {
  const fn = 'createMlpWorkspace';
  const resolved = resolveSpec(fn, spec);
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) {
    throw invalidArgument(fn, 'batchSize', batchSize, 'an integer ≥ 1');
  }
  checkDtype(fn, dtype);
  return new Workspace(resolved, batchSize, dtype);
}

/**
 * The forward pass: for each layer l, Z_l = A_{l−1}·W_lᵀ + b_l and A_l = f_l(Z_l), with A₀ = X.
 * Pre-activations and activations stay in the workspace for {@link mlpBackward}.
 *
 * Validates shapes only (O(layers)); NaN inputs are not checked here (see {@link mlpPredict}).
 *
 * @param params Flat parameters in {@link mlpLayout} order.
 * @param X Inputs, `batch × sizes[0]` row-major, `X.length === batch·sizes[0]`.
 * @param batch Samples in X, at most `ws.batchSize`.
 * @returns The output `batch × sizes[L]` row-major: a view into the workspace, overwritten by the
 *   next pass (copy it to keep it).
 * @example
 * ```ts
 * const spec = mlpSpec([1, 8, 1], 'tanh');
 * const params = initMlp(spec, key(0));
 * const ws = createMlpWorkspace(spec, 3);
 * const y = mlpForward(spec, params, new Float64Array([0, 0.5, 1]), 3, ws); // 3 outputs
 * ```
 */
export function mlpForward(
  spec: MlpSpec,
  params: FloatArray,
  X: FloatArray,
  batch: number,
  ws: MlpWorkspace,
): FloatArray {
  const w = checkPass('mlpForward', spec, params, ws, batch);
  checkX('mlpForward', X, batch, w.resolved.inSize);
  return forward(w, params, X, batch);
}

/** The forward pass, unchecked. */
function forward(w: Workspace, params: FloatArray, X: FloatArray, batch: number): FloatArray {
  const { layout, acts, actParams } = w.resolved;
  const wasm = w.wasm;
  let A: FloatArray = X;
  for (let l = 0; l < acts.length; l++) {
    const { inSize: nIn, outSize: nOut, wOffset, bOffset } = layout.layers[l]!;
    const Z = w.preActivations[l]!;
    const wl = wasm === null ? null : wasm.layers[l]!;
    if (wasm !== null && wl !== null) {
      // Wᵀ and b into the linear memory, then Z = A·Wᵀ + b over the batch rounded up to 4 rows
      const { wt, bias } = wl;
      for (let o = 0; o < nOut; o++) {
        const r = wOffset + o * nIn;
        for (let i = 0; i < nIn; i++) wt[i * nOut + o] = params[r + i]!;
        bias[o] = params[bOffset + o]!;
      }
      const rows = (batch + 3) & ~3;
      if (wasm.mm32 !== null) {
        wasm.mm32(ptr(A), nIn * 4, 4, ptr(wt), nOut * 4, ptr(Z), ptr(bias), 0, rows, nOut, nIn);
      } else {
        wasm.mm!(ptr(A), nIn * 8, 8, ptr(wt), nOut * 8, ptr(Z), ptr(bias), 0, rows, nOut, nIn);
      }
    } else {
      denseForward(A, params, wOffset, bOffset, Z, batch, nIn, nOut);
    }
    const out = w.activations[l]!;
    if (wasm !== null && acts[l] === Act.Tanh) {
      // f64: two lanes at a time, f32: four; a partial last group fills padding entries (every
      // buffer of the linear memory is a whole number of 16-byte groups)
      if (wasm.mm32 !== null) wasm.th(ptr(Z), ptr(out), (batch * nOut + 3) >> 2);
      else wasm.th(ptr(Z), ptr(out), (batch * nOut + 1) >> 1);
    } else if (wasm?.relu32 != null && acts[l] === Act.Relu) {
      wasm.relu32(ptr(Z), ptr(out), (batch * nOut + 3) >> 2);
    } else {
      applyActivation(acts[l]!, actParams[l]!, Z, out, batch * nOut, w.cdf[l] ?? null);
    }
    A = out;
  }
  w.input = X;
  w.lastBatch = batch;
  return w.output(batch);
}

function checkX(fn: string, X: unknown, batch: number, inSize: number): asserts X is FloatArray {
  if (!isFloatArray(X) || X.length !== batch * inSize) {
    throw shapeMismatch(fn, 'X', X, batch * inSize, `batch·sizes[0] = ${batch}·${inSize}`);
  }
}

/**
 * The backward pass (back-propagation) after {@link mlpForward} on the same batch:
 * given dOut = ∂L/∂output, overwrites `gradOut` with ∂L/∂params summed over the batch.
 *
 * Steps, from the last layer down:
 * 1. G = ∂L/∂Z_l = ∂L/∂A_l ⊙ f_l'(Z_l)  (f' from the stored pre-activations).
 * 2. ∂L/∂W_l = Gᵀ·A_{l−1}, ∂L/∂b_l = Σ_samples G.
 * 3. ∂L/∂A_{l−1} = G·W_l (skipped for l = 1).
 *
 * `dOut` is read, never modified.
 *
 * @param dOut ∂L/∂output, `batch × sizes[L]` row-major.
 * @param gradOut Receives the gradient, in {@link mlpLayout} order (length = layout size).
 */
export function mlpBackward(
  spec: MlpSpec,
  params: FloatArray,
  ws: MlpWorkspace,
  dOut: FloatArray,
  batch: number,
  gradOut: FloatArray,
): void {
  const fn = 'mlpBackward';
  const w = checkPass(fn, spec, params, ws, batch);
  const { layout, outSize } = w.resolved;
  if (w.input === null || w.lastBatch !== batch) {
    throw new ShapeError(
      `${fn}: batch must equal the batch of the last mlpForward on this workspace (${w.lastBatch}), got ${batch}`,
      fn,
      'batch',
    );
  }
  if (!isFloatArray(dOut) || dOut.length !== batch * outSize) {
    throw shapeMismatch(fn, 'dOut', dOut, batch * outSize, `batch·outputs = ${batch}·${outSize}`);
  }
  if (!isFloatArray(gradOut) || gradOut.length !== layout.size) {
    throw shapeMismatch(fn, 'gradOut', gradOut, layout.size, 'the parameter count');
  }
  backward(w, params, dOut, batch, gradOut);
}

/** Steps 1–3 of mlpBackward, unchecked. */
function backward(
  w: Workspace,
  params: FloatArray,
  dOut: FloatArray,
  batch: number,
  gradOut: FloatArray,
): void {
  const { layout, acts, actParams } = w.resolved;
  const L = acts.length;
  const wasm = w.wasm;
  if (wasm !== null && dOut !== w.dOut) {
    // the WebAssembly kernel reads ∂L/∂output from its own memory
    const d = w.dOut;
    const n = batch * layout.layers[L - 1]!.outSize;
    for (let k = 0; k < n; k++) d[k] = dOut[k]!;
    dOut = d;
  }
  let G: FloatArray = dOut;
  if (acts[L - 1] === Act.Relu && wasm?.reluGrad32 != null) {
    const n = batch * layout.layers[L - 1]!.outSize;
    wasm.reluGrad32(ptr(w.preActivations[L - 1]!), ptr(dOut), ptr(w.back0), (n + 3) >> 2);
    G = w.back0;
  } else if (acts[L - 1] !== Act.Identity) {
    multiplyDerivative(
      acts[L - 1]!,
      actParams[L - 1]!,
      w.preActivations[L - 1]!,
      w.activations[L - 1]!,
      dOut,
      w.back0,
      batch * layout.layers[L - 1]!.outSize,
      w.cdf[L - 1] ?? null,
    );
    G = w.back0;
  }
  for (let l = L - 1; l >= 0; l--) {
    const { inSize: nIn, outSize: nOut, wOffset, bOffset } = layout.layers[l]!;
    const Aprev = l === 0 ? w.input! : w.activations[l - 1]!;
    const wl = wasm === null ? null : wasm.layers[l]!;
    if (wasm?.mm32 != null && wl !== null) {
      gradParamsF32(wasm, wl, G, Aprev, gradOut, wOffset, bOffset, batch, nIn, nOut);
    } else if (wasm !== null && wl !== null) {
      // ∂L/∂W = Gᵀ·A_{l−1} (G read transposed) in batch slices added in place (see GRAD_SLICE),
      // then copied out; ∂L/∂b in JS
      const gw = wl.gw;
      for (let s = 0; s < batch; s += GRAD_SLICE) {
        const first = s === 0;
        wasm.mm!(
          ptr(G) + s * nOut * 8,
          8,
          nOut * 8,
          ptr(Aprev) + s * nIn * 8,
          nIn * 8,
          ptr(gw),
          first ? wasm.zerosPtr : ptr(gw),
          first ? 0 : nIn * 8,
          nOut,
          nIn,
          Math.min(GRAD_SLICE, batch - s),
        );
      }
      for (let k = 0; k < nIn * nOut; k++) gradOut[wOffset + k] = gw[k]!;
      denseGradBias(G, gradOut, bOffset, batch, nOut);
    } else {
      denseGradParams(G, Aprev, gradOut, wOffset, bOffset, batch, nIn, nOut);
    }
    if (l === 0) break;
    const D = G === w.back0 ? w.back1 : w.back0;
    if (wasm !== null && wl !== null) {
      // D = G·W over the batch rounded up to 4 rows
      const wm = wl.w;
      for (let k = 0; k < nIn * nOut; k++) wm[k] = params[wOffset + k]!;
      const rows = (batch + 3) & ~3;
      if (wasm.mm32 !== null) {
        wasm.mm32(ptr(G), nOut * 4, 4, ptr(wm), nIn * 4, ptr(D), wasm.zerosPtr, 0, rows, nIn, nOut);
      } else {
        wasm.mm!(ptr(G), nOut * 8, 8, ptr(wm), nIn * 8, ptr(D), wasm.zerosPtr, 0, rows, nIn, nOut);
      }
    } else {
      denseGradInput(G, params, wOffset, D, batch, nIn, nOut);
    }
    if (acts[l - 1] === Act.Relu && wasm?.reluGrad32 != null) {
      wasm.reluGrad32(ptr(w.preActivations[l - 1]!), ptr(D), ptr(D), (batch * nIn + 3) >> 2);
    } else {
      multiplyDerivative(
        acts[l - 1]!,
        actParams[l - 1]!,
        w.preActivations[l - 1]!,
        w.activations[l - 1]!,
        D,
        D,
        batch * nIn,
        w.cdf[l - 1] ?? null,
      );
    }
    G = D;
  }
}

/**
 * float32 ∂L/∂W_l = Gᵀ·A_{l−1} and ∂L/∂b_l = Σₙ G in the f32x4 kernel, written into `gradOut`.
 * ∂L/∂W sums the batch in slices of GRAD_SLICE samples, each added to the previous ones in place
 * (init = the product so far); ∂L/∂b is the product 1·G with X = one constant 1 (both strides 0),
 * four identical rows of which the first is kept.
 */
function gradParamsF32(
  wasm: WasmState,
  wl: WasmLayer,
  G: FloatArray,
  Aprev: FloatArray,
  gradOut: FloatArray,
  wOffset: number,
  bOffset: number,
  batch: number,
  nIn: number,
  nOut: number,
): void {
  const mm = wasm.mm32!;
  const gw = wl.gw;
  for (let s = 0; s < batch; s += GRAD_SLICE) {
    const first = s === 0;
    mm(
      ptr(G) + s * nOut * 4,
      4,
      nOut * 4,
      ptr(Aprev) + s * nIn * 4,
      nIn * 4,
      ptr(gw),
      first ? wasm.zerosPtr : ptr(gw),
      first ? 0 : nIn * 4,
      nOut,
      nIn,
      Math.min(GRAD_SLICE, batch - s),
    );
  }
  for (let k = 0; k < nIn * nOut; k++) gradOut[wOffset + k] = gw[k]!;
  const sums = wasm.biasSums;
  mm(wasm.onePtr, 0, 0, ptr(G), nOut * 4, ptr(sums), wasm.zerosPtr, 0, 4, nOut, batch);
  for (let o = 0; o < nOut; o++) gradOut[bOffset + o] = sums[o]!;
}

/**
 * Forward pass, loss and backward pass in one call: returns the loss and overwrites `gradOut` with
 * ∂loss/∂params. Allocates nothing; validates shapes only.
 *
 * @param X Inputs, `batch × sizes[0]`.
 * @param Y Targets, `batch × sizes[L]` (any typed array of that length); for
 *   `'softmaxCrossEntropy'` also one integer class label per sample (length `batch`).
 * @param lossName See {@link loss} for each loss's convention (sum or mean over batch × outputs).
 * @example
 * ```ts
 * const spec = mlpSpec([1, 32, 32, 32, 32, 32, 3], 'gelu', 'gelu'); // W3
 * const params = initMlp(spec, key(0));
 * const ws = createMlpWorkspace(spec, 100);
 * const grad = new Float64Array(params.length);
 * const value = mlpValueAndGradient(spec, params, X, Y, 100, 'sse', ws, grad);
 * ```
 */
export function mlpValueAndGradient(
  spec: MlpSpec,
  params: FloatArray,
  X: FloatArray,
  Y: FloatArray,
  batch: number,
  lossName: LossName,
  ws: MlpWorkspace,
  gradOut: FloatArray,
): number {
  const fn = 'mlpValueAndGradient';
  const lossFn = loss(lossName);
  const w = checkPass(fn, spec, params, ws, batch);
  const { outSize, layout } = w.resolved;
  const sce = lossName === 'softmaxCrossEntropy';
  if (sce && outSize < 2) {
    throw invalidArgument(
      fn,
      'spec',
      spec,
      'a network with ≥ 2 outputs (classes) for softmaxCrossEntropy',
    );
  }
  // softmaxCrossEntropy also takes one integer label per sample (Y of length batch)
  const labels = sce && isFloatArray(Y) && Y.length === batch;
  if (!isFloatArray(Y) || (!labels && Y.length !== batch * outSize)) {
    throw shapeMismatch(
      fn,
      'Y',
      Y,
      sce ? Number.NaN : batch * outSize,
      sce
        ? `length batch = ${batch} (labels) or batch·outputs = ${batch}·${outSize} (probabilities)`
        : `batch·outputs = ${batch}·${outSize}`,
    );
  }
  if (!isFloatArray(gradOut) || gradOut.length !== layout.size) {
    throw shapeMismatch(fn, 'gradOut', gradOut, layout.size, 'the parameter count');
  }
  checkX(fn, X, batch, w.resolved.inSize);
  if (labels) {
    for (let i = 0; i < batch; i++) {
      const y = Y[i]!;
      if (!(Number.isInteger(y) && y >= 0 && y < outSize)) {
        throw invalidArgument(fn, `Y[${i}]`, y, `an integer class label in [0, ${outSize})`);
      }
    }
  }
  const out = forward(w, params, X, batch);
  // The loss writes the first batch·outputs entries of w.dOut; the backward pass reads only those.
  const value = labels
    ? sceLabels(out, Y, batch, outSize, w.dOut)
    : lossFn.valueAndGradient(out, Y, batch * outSize, w.dOut, outSize);
  backward(w, params, w.dOut, batch, gradOut);
  return value;
}

/**
 * Predictions for a whole input array, with full validation (finite parameters and inputs).
 * Allocates a workspace and returns a fresh array (Float32Array for float32 parameters).
 *
 * @param X Inputs, `batch × sizes[0]` row-major.
 * @param batch Number of samples (default `X.length / sizes[0]`).
 * @example
 * ```ts
 * const spec = mlpSpec([1, 16, 1], 'tanh');
 * const y = mlpPredict(spec, initMlp(spec, key(0)), new Float64Array([0, 1, 2])); // 3 values
 * ```
 */
export function mlpPredict(
  spec: MlpSpec,
  params: FloatArray,
  X: FloatArray,
  batch?: number,
): FloatArray {
  const fn = 'mlpPredict';
  const resolved = resolveSpec(fn, spec);
  checkParams(fn, params, resolved);
  assertAllFinite(fn, 'params', params);
  if (!isFloatArray(X)) throw invalidArgument(fn, 'X', X, 'a Float64Array or Float32Array');
  const n = batch ?? X.length / resolved.inSize;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw batch === undefined
      ? shapeMismatch(
          fn,
          'X',
          X,
          Number.NaN,
          `a positive multiple of sizes[0] = ${resolved.inSize}`,
        )
      : invalidArgument(fn, 'batch', batch, 'an integer ≥ 1');
  }
  if (X.length !== n * resolved.inSize) {
    throw shapeMismatch(
      fn,
      'X',
      X,
      n * resolved.inSize,
      `batch·sizes[0] = ${n}·${resolved.inSize}`,
    );
  }
  assertAllFinite(fn, 'X', X);
  const dtype: MlpDtype = params instanceof Float32Array ? 'float32' : 'float64';
  // A fresh workspace sized to the batch: its output buffer is returned as is. Plain typed arrays:
  // creating a WebAssembly memory per call costs more than its kernels save on one pass, and the
  // returned output would keep that memory alive.
  return forward(new Workspace(resolved, n, dtype, false), params, X, n);
}

function checkDtype(fn: string, dtype: unknown): asserts dtype is MlpDtype {
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw invalidArgument(fn, 'dtype', dtype, "'float64' or 'float32'");
  }
}

function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float64Array || x instanceof Float32Array;
}

function shapeMismatch(
  fn: string,
  arg: string,
  value: unknown,
  expected: number,
  what: string,
): ShapeError {
  const got = isFloatArray(value) ? `length ${value.length}` : formatValue(value);
  const want = Number.isNaN(expected) ? what : `length ${expected} (${what})`;
  return new ShapeError(
    `${fn}: ${arg} must be a Float64Array or Float32Array of ${want}, got ${got}`,
    fn,
    arg,
  );
}

function checkParams(fn: string, params: unknown, resolved: ResolvedSpec): void {
  if (!isFloatArray(params) || params.length !== resolved.layout.size) {
    throw shapeMismatch(fn, 'params', params, resolved.layout.size, 'the parameter count');
  }
}

/** O(layers) checks shared by the hot-path entry points; returns the workspace's internals. */
function checkPass(
  fn: string,
  spec: MlpSpec,
  params: FloatArray,
  ws: MlpWorkspace,
  batch: number,
): Workspace {
  if (!(ws instanceof Workspace)) {
    throw invalidArgument(fn, 'ws', ws, 'a workspace from createMlpWorkspace');
  }
  if (!sameSpec(ws.resolved, spec)) {
    throw new ShapeError(
      `${fn}: spec must match the spec the workspace was created for (sizes ${ws.resolved.sizes.join('→')}), got ${formatValue(spec)}`,
      fn,
      'spec',
    );
  }
  checkParams(fn, params, ws.resolved);
  if (typeof batch !== 'number' || !Number.isInteger(batch) || batch < 1 || batch > ws.batchSize) {
    throw invalidArgument(
      fn,
      'batch',
      batch,
      `an integer in [1, ${ws.batchSize}] (the workspace's batchSize)`,
    );
  }
  return ws;
}
