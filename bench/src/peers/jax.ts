/**
 * jax-js 0.1.25 (float32): device setup and the W1–W5 training loops written the way its docs teach
 * (`grad` inside a `jit`-compiled step, reference-counted arrays, `blockUntilReady` after each step).
 *
 * Under Node, jax-js needs `init('wasm')` explicitly; 'webgpu' needs `navigator.gpu` (installed by
 * ../webgpu.ts). There is no @jax-js/optax in the bench's dependencies, so Adam is written here
 * with jax-js array ops (the same update as optax's adam).
 */
import {
  blockUntilReady,
  defaultDevice,
  grad,
  init,
  jit,
  nn,
  numpy as np,
  tree,
} from '@jax-js/jax';
import type { ChainProblem, MlpProblem } from '../data.js';
import { f32 } from '../data.js';
import type { Trainer } from '../harness.js';

/** jax-js devices the bench uses. */
export type JaxDevice = 'wasm' | 'webgpu';

const started = new Set<string>();

/** Starts `device` (once) and makes it the default. Returns a reason string when unavailable. */
export async function useJaxDevice(device: JaxDevice): Promise<string | null> {
  try {
    if (!started.has(device)) {
      if (device === 'webgpu' && (typeof navigator === 'undefined' || !navigator.gpu)) {
        return 'no WebGPU adapter';
      }
      const ok = await init(device);
      if (!ok.includes(device)) return `jax-js: init('${device}') did not start it`;
      started.add(device);
    }
    defaultDevice(device);
    return null;
  } catch (e) {
    return `jax-js ${device}: ${(e as Error).message}`;
  }
}

async function toF64(arrays: np.Array[]): Promise<Float64Array[]> {
  const out: Float64Array[] = [];
  for (const a of arrays) out.push(Float64Array.from((await a.ref.data()) as Float32Array));
  return out;
}

type ChainParams = { w: np.Array[]; b: np.Array[] };

/** W1/W2: per-sample SGD, one jit-compiled step (grad + update) per sample. */
export function jaxChainTrainer(p: ChainProblem): Trainer {
  const n = p.layers;
  const lr = p.lr;
  const loss = (q: ChainParams, x: np.Array, y: np.Array): np.Array => {
    let a = x;
    for (let l = 0; l < n; l++) {
      const z = q.w[l]!.mul(a).add(q.b[l]!);
      a = l < n - 1 ? nn.sigmoid(z) : z;
    }
    return np.square(a.sub(y)).mul(0.5);
  };
  const step = jit((q: ChainParams, x: np.Array, y: np.Array): ChainParams => {
    const g = grad(loss)(tree.ref(q), x, y);
    return {
      w: q.w.map((v, l) => v.sub(g.w[l]!.mul(lr))),
      b: q.b.map((v, l) => v.sub(g.b[l]!.mul(lr))),
    };
  });
  const xs = Array.from(p.x, (v) => np.array(v));
  const ys = Array.from(p.y, (v) => np.array(v));
  const fresh = (): ChainParams => ({
    w: Array.from(p.init[0], (v) => np.array(v)),
    b: Array.from(p.init[1], (v) => np.array(v)),
  });
  let q = fresh();
  return {
    reset() {
      tree.dispose(q);
      q = fresh();
    },
    async train(epochs) {
      for (let e = 0; e < epochs; e++) {
        for (const i of p.orders[e]!) {
          q = step(q, xs[i]!.ref, ys[i]!.ref);
          await blockUntilReady(q);
        }
      }
    },
    async params() {
      const w = await toF64(q.w);
      const b = await toF64(q.b);
      return [Float64Array.from(w, (t) => t[0]!), Float64Array.from(b, (t) => t[0]!)];
    },
    dispose() {
      tree.dispose([q, xs, ys]);
      step.dispose();
    },
  };
}

function activate(act: MlpProblem['hidden'], z: np.Array): np.Array {
  switch (act) {
    case 'identity':
      return z;
    case 'relu':
      return nn.relu(z);
    case 'tanh':
      return np.tanh(z);
    case 'gelu':
      return nn.gelu(z, { approximate: false });
  }
}

type AdamState = { q: np.Array[]; m: np.Array[]; v: np.Array[] };

/** W3–W5: MLP with a jit-compiled step (grad + SGD or Adam update); mini-batches gathered inside. */
export function jaxMlpTrainer(p: MlpProblem): Trainer {
  const L = p.sizes.length - 1;
  const nin = p.sizes[0]!;
  const nout = p.sizes[L]!;
  const shapes = p.init.map((t, k) =>
    k % 2 === 0 ? [p.sizes[k >> 1]!, p.sizes[(k >> 1) + 1]!] : [t.length],
  );
  const loss = (q: np.Array[], x: np.Array, y: np.Array): np.Array => {
    let a = x;
    for (let l = 0; l < L; l++) {
      const z = np.matmul(a, q[2 * l]!).add(q[2 * l + 1]!);
      a = activate(l < L - 1 ? p.hidden : p.output, z);
    }
    const sq = np.square(a.sub(y));
    return p.loss === 'sse' ? sq.sum() : sq.mean();
  };
  const o = p.optimizer;
  const sgdUpdate = (q: np.Array[], x: np.Array, y: np.Array): np.Array[] => {
    const g = grad(loss)(tree.ref(q), x, y);
    const lr = o.lr;
    return q.map((t, k) => t.sub(g[k]!.mul(lr)));
  };
  // full batch, and mini-batch gathered inside the compiled step (jit trees cannot hold null)
  const sgdStep = jit((q: np.Array[], X: np.Array, Y: np.Array) => sgdUpdate(q, X, Y));
  const sgdBatchStep = jit((q: np.Array[], X: np.Array, Y: np.Array, idx: np.Array) =>
    sgdUpdate(q, np.take(X, idx.ref, 0), np.take(Y, idx, 0)),
  );
  const adamStep = jit((s: AdamState, X: np.Array, Y: np.Array, c1: np.Array, c2: np.Array) => {
    if (o.kind !== 'adam') throw new Error('adam step on an SGD problem');
    const g = grad(loss)(tree.ref(s.q), X, Y);
    const m = s.m.map((mk, k) => mk.mul(o.b1).add(g[k]!.ref.mul(1 - o.b1)));
    const v = s.v.map((vk, k) => vk.mul(o.b2).add(np.square(g[k]!).mul(1 - o.b2)));
    const q = s.q.map((t, k) =>
      t.sub(
        m[k]!.ref.mul(c1.ref)
          .mul(o.lr)
          .div(np.sqrt(v[k]!.ref.mul(c2.ref)).add(o.eps)),
      ),
    );
    c1.dispose();
    c2.dispose();
    return { q, m, v };
  });
  const X = np.array(f32(p.x), { shape: [p.rows, nin] });
  const Y = np.array(f32(p.y), { shape: [p.rows, nout] });
  const batches: np.Array[][] = [];
  if (p.batch) {
    for (const order of p.batch.orders) {
      const list: np.Array[] = [];
      for (let s = 0; s < p.rows; s += p.batch.size) {
        list.push(
          np.array(Int32Array.from(order.subarray(s, s + p.batch.size)), { dtype: np.int32 }),
        );
      }
      batches.push(list);
    }
  }
  const fresh = (): AdamState => ({
    q: p.init.map((t, k) => np.array(f32(t), { shape: shapes[k]! })),
    m: p.init.map((_, k) => np.zeros(shapes[k]!)),
    v: p.init.map((_, k) => np.zeros(shapes[k]!)),
  });
  let s = fresh();
  let t = 0;
  return {
    reset() {
      tree.dispose(s);
      s = fresh();
      t = 0;
    },
    async train(epochs) {
      if (o.kind === 'adam') {
        for (let e = 0; e < epochs; e++) {
          t++;
          const c1 = np.array(1 / (1 - o.b1 ** t));
          const c2 = np.array(1 / (1 - o.b2 ** t));
          s = adamStep(s, X.ref, Y.ref, c1, c2);
          await blockUntilReady(s);
        }
        return;
      }
      for (let e = 0; e < epochs; e++) {
        if (!p.batch) {
          s.q = sgdStep(s.q, X.ref, Y.ref);
          await blockUntilReady(s.q);
          continue;
        }
        for (const idx of batches[e]!) {
          s.q = sgdBatchStep(s.q, X.ref, Y.ref, idx.ref);
          await blockUntilReady(s.q);
        }
      }
    },
    params: () => toF64(s.q),
    dispose() {
      tree.dispose([s, X, Y, batches]);
      sgdStep.dispose();
      sgdBatchStep.dispose();
      adamStep.dispose();
    },
  };
}

/** C = A·B on the default device for n×n float32 matrices; `run` waits for the result. */
export function jaxMatmul(
  n: number,
  a: Float32Array<ArrayBuffer>,
  b: Float32Array<ArrayBuffer>,
): { run(): Promise<void>; dispose(): void } {
  const A = np.array(a, { shape: [n, n] });
  const B = np.array(b, { shape: [n, n] });
  return {
    async run() {
      const C = np.matmul(A.ref, B.ref);
      await C.blockUntilReady();
      C.dispose();
    },
    dispose() {
      tree.dispose([A, B]);
    },
  };
}
