/**
 * TensorFlow.js 4.22 (float32): backend selection and the W1–W5 training loops written the way its
 * documentation teaches (variables + `optimizer.minimize`).
 *
 * Backends: 'cpu' (@tensorflow/tfjs-backend-cpu), 'wasm' (wasm files located in node_modules with
 * `setWasmPaths`), 'webgpu' (needs the Dawn globals of ../webgpu.ts installed first).
 */
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ChainProblem, MlpProblem } from '../data.js';
import { f32 } from '../data.js';
import type { Trainer } from '../harness.js';

/** TF.js backends the bench uses. */
export type TfBackend = 'cpu' | 'wasm' | 'webgpu';

let gradients: Promise<void> | null = null;

/**
 * Registers TF.js's gradients. `@tensorflow/tfjs-core` resolves to its CommonJS Node bundle, which
 * leaves gradients to the `@tensorflow/tfjs` union package (not a dependency here), and its ESM
 * `register_all_gradients` cannot be imported by Node (directory imports). So esbuild bundles that
 * module once into a temp file; it registers into tfjs-core's global gradient registry, which every
 * copy of tfjs-core shares.
 */
export function registerTfGradients(): Promise<void> {
  gradients ??= (async () => {
    const { build } = await import('esbuild');
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    const outfile = path.join(tmpdir(), `annlab-bench-tfjs-gradients-${process.pid}.mjs`);
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      logLevel: 'silent',
    });
    await import(pathToFileURL(outfile).href);
  })();
  return gradients;
}

let wasmLoaded = false;
let webgpuLoaded = false;

/**
 * Makes `backend` the active TF.js backend. Returns a reason string when it cannot be used.
 * Tensors belong to the backend active when they are created, so build trainers after this.
 */
export async function useTfBackend(backend: TfBackend): Promise<string | null> {
  try {
    await registerTfGradients();
    if (backend === 'wasm' && !wasmLoaded) {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      const file = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
      wasm.setWasmPaths(`${path.dirname(file)}/`);
      wasmLoaded = true;
    }
    if (backend === 'webgpu' && !webgpuLoaded) {
      if (typeof navigator === 'undefined' || !navigator.gpu) return 'no WebGPU adapter';
      await import('@tensorflow/tfjs-backend-webgpu');
      webgpuLoaded = true;
    }
    const ok = await tf.setBackend(backend);
    await tf.ready();
    return ok && tf.getBackend() === backend ? null : `tfjs backend ${backend} failed to start`;
  } catch (e) {
    return `tfjs ${backend}: ${(e as Error).message}`;
  }
}

/** Production mode: no debug checks of every op's output. */
export function quietTf(): void {
  tf.env().set('PROD', true);
}

async function readParams(vars: tf.Variable[]): Promise<Float64Array[]> {
  const out: Float64Array[] = [];
  for (const v of vars) out.push(Float64Array.from(await v.data()));
  return out;
}

/** W1/W2: per-sample SGD on a width-one chain, scalar variables and `sgd.minimize` per sample. */
export function tfChainTrainer(p: ChainProblem): Trainer {
  const n = p.layers;
  const w = Array.from({ length: n }, (_, l) => tf.variable(tf.scalar(p.init[0][l]!)));
  const b = Array.from({ length: n }, (_, l) => tf.variable(tf.scalar(p.init[1][l]!)));
  const vars = [...w, ...b];
  const xs = Array.from(p.x, (v) => tf.scalar(v));
  const ys = Array.from(p.y, (v) => tf.scalar(v));
  const half = tf.scalar(0.5);
  const opt = tf.train.sgd(p.lr);
  return {
    reset() {
      for (let l = 0; l < n; l++) {
        w[l]!.assign(tf.scalar(p.init[0][l]!));
        b[l]!.assign(tf.scalar(p.init[1][l]!));
      }
    },
    async train(epochs) {
      for (let e = 0; e < epochs; e++) {
        for (const i of p.orders[e]!) {
          opt.minimize(
            () => {
              let a: tf.Scalar = xs[i]!;
              for (let l = 0; l < n; l++) {
                const z = tf.add(tf.mul(w[l]!, a), b[l]!) as tf.Scalar;
                a = l < n - 1 ? tf.sigmoid(z) : z;
              }
              return tf.mul(half, tf.square(tf.sub(a, ys[i]!))) as tf.Scalar;
            },
            false,
            vars,
          );
        }
      }
      await w[0]!.data();
    },
    params: async () => {
      const [wv, bv] = [await readParams(w), await readParams(b)];
      return [Float64Array.from(wv, (t) => t[0]!), Float64Array.from(bv, (t) => t[0]!)];
    },
    dispose() {
      tf.dispose([...vars, ...xs, ...ys, half]);
      opt.dispose();
    },
  };
}

function activate(act: MlpProblem['hidden'], z: tf.Tensor2D, c: Record<string, tf.Scalar>) {
  switch (act) {
    case 'identity':
      return z;
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'gelu':
      // exact GELU: ½ z (1 + erf(z/√2)); TF.js has no gelu op.
      return tf.mul(tf.mul(c.half!, z), tf.add(c.one!, tf.erf(tf.mul(z, c.rsqrt2!))));
  }
}

/** W3–W5: an MLP with `optimizer.minimize` per step; mini-batches gathered from index tensors. */
export function tfMlpTrainer(p: MlpProblem): Trainer {
  const L = p.sizes.length - 1;
  const vars = p.init.map((t, k) => {
    const shape: number[] = k % 2 === 0 ? [p.sizes[k >> 1]!, p.sizes[(k >> 1) + 1]!] : [t.length];
    return tf.variable(tf.tensor(f32(t), shape));
  });
  const nin = p.sizes[0]!;
  const nout = p.sizes[L]!;
  const X = tf.tensor2d(f32(p.x), [p.rows, nin]);
  const Y = tf.tensor2d(f32(p.y), [p.rows, nout]);
  const c = { half: tf.scalar(0.5), one: tf.scalar(1), rsqrt2: tf.scalar(Math.SQRT1_2) };
  const batches: tf.Tensor1D[][] = [];
  if (p.batch) {
    for (const order of p.batch.orders) {
      const list: tf.Tensor1D[] = [];
      for (let s = 0; s < p.rows; s += p.batch.size) {
        list.push(tf.tensor1d(Int32Array.from(order.subarray(s, s + p.batch.size)), 'int32'));
      }
      batches.push(list);
    }
  }
  const makeOpt = (): tf.Optimizer => {
    const o = p.optimizer;
    return o.kind === 'sgd' ? tf.train.sgd(o.lr) : tf.train.adam(o.lr, o.b1, o.b2, o.eps);
  };
  let opt = makeOpt();
  const lossOf = (x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar => {
    let a = x;
    for (let l = 0; l < L; l++) {
      const z = tf.add(tf.matMul(a, vars[2 * l] as tf.Tensor2D), vars[2 * l + 1]!) as tf.Tensor2D;
      a = activate(l < L - 1 ? p.hidden : p.output, z, c) as tf.Tensor2D;
    }
    const sq = tf.squaredDifference(a, y);
    return (p.loss === 'sse' ? tf.sum(sq) : tf.mean(sq)) as tf.Scalar;
  };
  return {
    reset() {
      p.init.forEach((t, k) => {
        vars[k]!.assign(tf.tensor(f32(t), vars[k]!.shape));
      });
      opt.dispose();
      opt = makeOpt();
    },
    async train(epochs) {
      for (let e = 0; e < epochs; e++) {
        if (!p.batch) {
          opt.minimize(() => lossOf(X, Y), false, vars);
          continue;
        }
        for (const idx of batches[e]!) {
          opt.minimize(() => lossOf(tf.gather(X, idx), tf.gather(Y, idx)), false, vars);
        }
      }
      await vars[vars.length - 1]!.data();
    },
    params: () => readParams(vars),
    dispose() {
      tf.dispose([...vars, X, Y, c.half, c.one, c.rsqrt2, ...batches.flat()]);
      opt.dispose();
    },
  };
}

/** C = A·B on the active backend for n×n matrices, returning a timed closure that syncs. */
export function tfMatmul(
  n: number,
  a: Float32Array,
  b: Float32Array,
): {
  run(): Promise<void>;
  dispose(): void;
} {
  const A = tf.tensor2d(a, [n, n]);
  const B = tf.tensor2d(b, [n, n]);
  return {
    async run() {
      // read back one element: waits for the product without timing a 4n²-byte download
      const C = tf.matMul(A, B);
      const corner = tf.slice(C, [0, 0], [1, 1]);
      await corner.data();
      tf.dispose([C, corner]);
    },
    dispose() {
      tf.dispose([A, B]);
    },
  };
}
