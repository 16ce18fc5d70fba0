/**
 * Typed wrapper of the tiled matmul kernel: prepared dispatches on GPU buffers for training loops,
 * a one-shot `matmul` on CPU arrays, and `timeMatmul` for benchmarks.
 */
import { invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32, toF32 } from '../../buffers.js';
import type { Gpu, GpuAdapterReport } from '../../device.js';
import { type Dispatch, makeDispatch, runDispatches } from '../../dispatch.js';
import { activationKey } from '../biasActivation/activations.wgsl.js';
import { assertCount, assertLength, packUniform } from '../common.js';
import {
  MATMUL_COL_GROUP_CHOICES,
  MATMUL_COL_GROUPS,
  MATMUL_CPU_TILE,
  MATMUL_ROW_CHOICES,
  MATMUL_ROWS,
  type MatmulEpilogue,
  makeMatmulShader,
  matmulWorkgroup,
} from './matmul.wgsl.js';

/** Shapes of C[m×n] = op(A)[m×k] · op(B)[k×n]. */
export interface MatmulShape {
  m: number;
  n: number;
  k: number;
  /** A is stored k×m and used transposed (default false). */
  transA?: boolean;
  /** B is stored n×k and used transposed (default false). */
  transB?: boolean;
}

function checkShape(fn: string, shape: MatmulShape): void {
  if (shape === null || typeof shape !== 'object') {
    throw invalidArgument(fn, 'shape', shape, 'an object { m, n, k }');
  }
  assertCount(fn, 'shape.m', shape.m);
  assertCount(fn, 'shape.n', shape.n);
  assertCount(fn, 'shape.k', shape.k);
}

/** Buffers of a matmul dispatch; the epilogue's buffers are needed only with that epilogue. */
export interface MatmulBuffers {
  a: GPUBuffer;
  b: GPUBuffer;
  /** Output C (m×n); with the `biasActivation` epilogue it receives Z = op(A)·op(B) + b. */
  c: GPUBuffer;
  /** `biasActivation`: the per-column bias (n). */
  bias?: GPUBuffer;
  /** `biasActivation`: A = f(Z) (m×n). */
  out?: GPUBuffer;
  /** `activationDerivative`: the pre-activations Z (m×n) whose f′ multiplies the product. */
  z?: GPUBuffer;
  /** When given, also receives the row sums of op(A): S[r] = Σ_k op(A)[r, k] (m). */
  rowSums?: GPUBuffer;
}

/** Options of {@link prepareMatmul}. */
export interface MatmulOptions {
  /** Fused epilogue (default `{ kind: 'none' }`). */
  epilogue?: MatmulEpilogue;
  /** Rows of C per invocation, 4, 8 or 16 (default from {@link matmulTile}). */
  rows?: number;
  /** vec4 column groups of C per invocation, 1, 2 or 4 (default from {@link matmulTile}). */
  colGroups?: number;
}

/**
 * Multiply-adds (m·n·k) from which a CPU-emulated adapter switches to {@link MATMUL_CPU_TILE}
 * (2²², e.g. 256×256×64): below it the product is too small for the larger tile to pay for its
 * longer shader compile (about 1.5–3 s on SwiftShader against 0.2–0.5 s).
 */
export const MATMUL_CPU_TILE_MIN_WORK = 2 ** 22;
/**
 * Entries of C (m·n) from which the CPU tile is used: two workgroups of the CPU tile (each covers
 * 128×128 entries), so at least two CPU cores get work.
 */
export const MATMUL_CPU_TILE_MIN_OUTPUTS = 2 * 128 * 128;

/**
 * The register tile `prepareMatmul` uses for C[m×n] = op(A)[m×k]·op(B)[k×n] on this adapter when
 * the options name none: 16×16 entries per invocation ({@link MATMUL_CPU_TILE}) on adapters that
 * run on the CPU (fallback adapters such as SwiftShader) for products of at least
 * {@link MATMUL_CPU_TILE_MIN_WORK} multiply-adds and {@link MATMUL_CPU_TILE_MIN_OUTPUTS} entries,
 * with m and n ≥ 32; otherwise 8×4 (4×4 when m ≤ 4), which keeps a real GPU's registers and cores
 * busy.
 * @example
 * ```ts
 * matmulTile(gpu.adapter, { m: 4096, n: 256, k: 256 }); // { rows: 16, colGroups: 4 } on SwiftShader
 * ```
 */
export function matmulTile(
  adapter: Pick<GpuAdapterReport, 'isFallbackAdapter' | 'architecture'>,
  shape: Pick<MatmulShape, 'm' | 'n' | 'k'>,
): { rows: number; colGroups: number } {
  const cpu = adapter.isFallbackAdapter || adapter.architecture === 'swiftshader';
  const { m, n, k } = shape;
  if (
    cpu &&
    m >= 32 &&
    n >= 32 &&
    m * n >= MATMUL_CPU_TILE_MIN_OUTPUTS &&
    m * n * k >= MATMUL_CPU_TILE_MIN_WORK
  ) {
    return { ...MATMUL_CPU_TILE };
  }
  return { rows: m <= 4 ? 4 : MATMUL_ROWS, colGroups: MATMUL_COL_GROUPS };
}

/**
 * Prepares C = op(A)·op(B) on existing GPU buffers (float32, row-major), optionally with a fused
 * epilogue: `biasActivation` (C = Z = op(A)·op(B) + b, `out` = f(Z)) or `activationDerivative`
 * (C = (op(A)·op(B)) ⊙ f′(Z)); with `buffers.rowSums` it also writes the row sums of op(A) (the
 * bias gradient beside ∂W = dZᵀ·A). Record the returned dispatch with `runDispatches` or
 * `encodeDispatches`. The small uniform buffer belongs to `scope`.
 * @example
 * ```ts
 * // Z = X·Wᵀ + b and H = relu(Z) in one dispatch (X: rows×fi, W: fo×fi).
 * const d = await prepareMatmul(gpu, scope, { a: x, b: w, c: z, bias, out: h },
 *   { m: rows, n: fo, k: fi, transB: true }, { epilogue: { kind: 'biasActivation', activation: 'relu' } });
 * await runDispatches(gpu, [d]);
 * ```
 */
export async function prepareMatmul(
  gpu: Gpu,
  scope: BufferScope,
  buffers: MatmulBuffers,
  shape: MatmulShape,
  options: MatmulOptions = {},
): Promise<Dispatch> {
  const fn = 'prepareMatmul';
  checkShape(fn, shape);
  const transA = shape.transA ?? false;
  const transB = shape.transB ?? false;
  const tile = matmulTile(gpu.adapter, shape);
  const rows = options.rows ?? tile.rows;
  if (!MATMUL_ROW_CHOICES.includes(rows)) {
    throw invalidArgument(fn, 'options.rows', rows, '4, 8 or 16');
  }
  const colGroups = options.colGroups ?? tile.colGroups;
  if (!MATMUL_COL_GROUP_CHOICES.includes(colGroups)) {
    throw invalidArgument(fn, 'options.colGroups', colGroups, '1, 2 or 4');
  }
  const epilogue = options.epilogue ?? { kind: 'none' };
  const list = [buffers.a, buffers.b, buffers.c];
  let epKey = '';
  if (epilogue.kind === 'biasActivation') {
    if (!buffers.bias) throw invalidArgument(fn, 'buffers.bias', buffers.bias, 'a GPUBuffer');
    if (!buffers.out) throw invalidArgument(fn, 'buffers.out', buffers.out, 'a GPUBuffer');
    list.push(buffers.bias, buffers.out);
    epKey = `,bias+${activationKey(epilogue.activation)}`;
  } else if (epilogue.kind === 'activationDerivative') {
    if (!buffers.z) throw invalidArgument(fn, 'buffers.z', buffers.z, 'a GPUBuffer');
    list.push(buffers.z);
    epKey = `,d${activationKey(epilogue.activation)}`;
  } else if (epilogue.kind !== 'none') {
    throw invalidArgument(
      fn,
      'options.epilogue',
      epilogue,
      "{ kind: 'none' | 'biasActivation' | 'activationDerivative' }",
    );
  }
  const rowSums = buffers.rowSums !== undefined;
  if (rowSums) list.push(buffers.rowSums!);
  // vec4 loads along each operand's contiguous axis where that axis is a multiple of 4.
  const vecA = (transA ? shape.m : shape.k) % 4 === 0;
  const vecB = (transB ? shape.k : shape.n) % 4 === 0;
  const vecC = shape.n % 4 === 0;
  const flags = `${vecA ? 'v' : 's'}${vecB ? 'v' : 's'}${vecC ? 'v' : 's'}`;
  const workgroup = matmulWorkgroup(shape.m, shape.n, rows, colGroups);
  const key = `matmul(${workgroup.join('x')},${transA ? 'T' : 'N'}${transB ? 'T' : 'N'},${flags},r${rows}c${colGroups}${epKey}${rowSums ? ',rowSums' : ''})`;
  const kernel = await gpu.pipelines.get(key, () =>
    makeMatmulShader({
      transA,
      transB,
      vecA,
      vecB,
      vecC,
      rows,
      colGroups,
      epilogue,
      rowSums,
      workgroup,
    }),
  );
  const dims = scope.uniform(
    packUniform([
      ['u32', shape.m],
      ['u32', shape.n],
      ['u32', shape.k],
    ]),
    `${key}/dims`,
  );
  return makeDispatch(
    gpu,
    kernel,
    [dims, ...list],
    [
      Math.ceil(shape.n / (workgroup[0] * 4 * colGroups)),
      Math.ceil(shape.m / (workgroup[1] * rows)),
    ],
  );
}

/**
 * C = op(A)·op(B) for CPU arrays, computed on the GPU in float32; returns C (m×n, row-major).
 * @example
 * ```ts
 * const c = await matmul(gpu, [1, 2, 3, 4], [5, 6, 7, 8], { m: 2, n: 2, k: 2 }); // [19, 22, 43, 50]
 * ```
 */
export async function matmul(
  gpu: Gpu,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  shape: MatmulShape,
): Promise<Float32Array> {
  checkShape('matmul', shape);
  assertLength('matmul', 'a', a, shape.m * shape.k, 'm·k');
  assertLength('matmul', 'b', b, shape.k * shape.n, 'k·n');
  const scope = new BufferScope(gpu, 'matmul');
  try {
    const c = scope.storage(shape.m * shape.n, 'c', 'matmul');
    const d = await prepareMatmul(
      gpu,
      scope,
      { a: scope.storage(toF32(a), 'a', 'matmul'), b: scope.storage(toF32(b), 'b', 'matmul'), c },
      shape,
    );
    await runDispatches(gpu, [d], 1, 'matmul');
    return await readF32(gpu, c, shape.m * shape.n);
  } finally {
    scope.dispose();
  }
}

/** Result of {@link timeMatmul}. */
export interface MatmulTiming {
  /** Median seconds per multiply (GPU synchronised before each clock stop). */
  seconds: number;
  /** 2·m·n·k / seconds / 1e9. */
  gflops: number;
}

/**
 * Times C = op(A)·op(B) on random float32 data: two warm-ups, then the median of `runs` timed batches
 * of `repeat` multiplies each, every batch one submission awaited with `onSubmittedWorkDone`.
 * `rows` and `colGroups` pick the register tile (for tuning; see {@link MatmulOptions}).
 */
export async function timeMatmul(
  gpu: Gpu,
  shape: MatmulShape,
  options: { runs?: number; repeat?: number } & Pick<MatmulOptions, 'rows' | 'colGroups'> = {},
): Promise<MatmulTiming> {
  checkShape('timeMatmul', shape);
  const runs = options.runs ?? 3;
  const repeat = options.repeat ?? 1;
  assertCount('timeMatmul', 'options.runs', runs);
  assertCount('timeMatmul', 'options.repeat', repeat);
  const scope = new BufferScope(gpu, 'timeMatmul');
  try {
    const fill = (n: number) => {
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
      return x;
    };
    const d = await prepareMatmul(
      gpu,
      scope,
      {
        a: scope.storage(fill(shape.m * shape.k), 'a', 'timeMatmul'),
        b: scope.storage(fill(shape.k * shape.n), 'b', 'timeMatmul'),
        c: scope.storage(shape.m * shape.n, 'c', 'timeMatmul'),
      },
      shape,
      {
        ...(options.rows === undefined ? {} : { rows: options.rows }),
        ...(options.colGroups === undefined ? {} : { colGroups: options.colGroups }),
      },
    );
    // Two warm-ups: compile and first-use costs, then a first timing for the wait (see wait.ts).
    await runDispatches(gpu, [d], 1, 'timeMatmul');
    await runDispatches(gpu, [d], repeat, 'timeMatmul');
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await runDispatches(gpu, [d], repeat, 'timeMatmul');
      times.push((performance.now() - t0) / 1000 / repeat);
    }
    times.sort((x, y) => x - y);
    const seconds = times[Math.floor(times.length / 2)]!;
    return { seconds, gflops: (2 * shape.m * shape.n * shape.k) / seconds / 1e9 };
  } finally {
    scope.dispose();
  }
}
