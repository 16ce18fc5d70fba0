/**
 * Hand-written float64 per-sample SGD for a width-one chain: the practical limit of JavaScript and
 * the float64 reference every library's W1/W2/W6 losses are checked against.
 */
import type { ChainProblem } from '../data.js';
import type { Trainer } from '../harness.js';

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * One epoch of per-sample SGD in place on `w`, `b`, visiting the samples in `order`.
 *
 * Steps per sample: forward x_{i+1} = h(w_i x_i + b_i) storing each layer's input and output; then
 * backward from δ = ŷ − y, multiplying by σ(1 − σ) on sigmoid layers, updating w_i, b_i after δ has
 * been carried to the layer below with the old w_i. Allocates nothing.
 */
export function trainChainEpochF64(
  p: ChainProblem,
  w: Float64Array,
  b: Float64Array,
  order: ArrayLike<number>,
  inputs: Float64Array,
  outputs: Float64Array,
): void {
  const n = p.layers;
  const last = n - 1;
  const lr = p.lr;
  const { x, y } = p;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    let a = x[i]!;
    for (let l = 0; l < n; l++) {
      inputs[l] = a;
      const z = w[l]! * a + b[l]!;
      a = l < last ? sigmoid(z) : z;
      outputs[l] = a;
    }
    let d = a - y[i]!;
    for (let l = last; l >= 0; l--) {
      if (l < last) {
        const s = outputs[l]!;
        d *= s * (1 - s);
      }
      const wl = w[l]!;
      w[l] = wl - lr * d * inputs[l]!;
      b[l] = b[l]! - lr * d;
      d *= wl;
    }
  }
}

/** Trains `epochs` epochs of per-sample SGD in place on `w`, `b` in the problem's orders. */
export function trainChainF64(
  p: ChainProblem,
  w: Float64Array,
  b: Float64Array,
  epochs: number,
  inputs: Float64Array,
  outputs: Float64Array,
): void {
  for (let e = 0; e < epochs; e++) trainChainEpochF64(p, w, b, p.orders[e]!, inputs, outputs);
}

/** Mean over the samples of ½(ŷ − y)² in float64. */
export function chainLoss(p: ChainProblem, w: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < p.x.length; i++) {
    let a = p.x[i]!;
    for (let l = 0; l < p.layers; l++) {
      const z = w[l]! * a + b[l]!;
      a = l < p.layers - 1 ? sigmoid(z) : z;
    }
    const r = a - p.y[i]!;
    sum += 0.5 * r * r;
  }
  return sum / p.x.length;
}

/** The hand-written loop as a {@link Trainer} over one chain problem. */
export function handChainTrainer(p: ChainProblem): Trainer {
  const w = new Float64Array(p.layers);
  const b = new Float64Array(p.layers);
  const inputs = new Float64Array(p.layers);
  const outputs = new Float64Array(p.layers);
  return {
    reset() {
      w.set(p.init[0]);
      b.set(p.init[1]);
    },
    train(epochs) {
      trainChainF64(p, w, b, epochs, inputs, outputs);
    },
    params: () => [w.slice(), b.slice()],
  };
}

/**
 * The hand-written loop as a user writes it without precomputed orders: each epoch reshuffles one
 * index array in place with its own Fisher–Yates, drawing from a xorshift32 generator (seeded, so
 * runs repeat).
 */
export function handChainShuffledTrainer(p: ChainProblem): Trainer {
  const w = new Float64Array(p.layers);
  const b = new Float64Array(p.layers);
  const inputs = new Float64Array(p.layers);
  const outputs = new Float64Array(p.layers);
  const n = p.x.length;
  const order = new Uint32Array(n);
  let state = 0x9e3779b9;
  return {
    reset() {
      w.set(p.init[0]);
      b.set(p.init[1]);
      for (let i = 0; i < n; i++) order[i] = i;
      state = 0x9e3779b9;
    },
    train(epochs) {
      for (let e = 0; e < epochs; e++) {
        for (let i = n - 1; i > 0; i--) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          const j = Math.floor(((state >>> 0) / 4294967296) * (i + 1));
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
        }
        trainChainEpochF64(p, w, b, order, inputs, outputs);
      }
    },
    params: () => [w.slice(), b.slice()],
  };
}

/**
 * The hand-written loop on the orders `orderOf(e)` (the loss check's reference for entries that
 * shuffle by themselves, e.g. `fit` with its default keyed shuffle).
 */
export function handChainOrdersTrainer(
  p: ChainProblem,
  orderOf: (epoch: number) => ArrayLike<number>,
): Trainer {
  const w = new Float64Array(p.layers);
  const b = new Float64Array(p.layers);
  const inputs = new Float64Array(p.layers);
  const outputs = new Float64Array(p.layers);
  let epoch = 0;
  return {
    reset() {
      w.set(p.init[0]);
      b.set(p.init[1]);
      epoch = 0;
    },
    train(epochs) {
      for (let e = 0; e < epochs; e++)
        trainChainEpochF64(p, w, b, orderOf(epoch++), inputs, outputs);
    },
    params: () => [w.slice(), b.slice()],
  };
}

/** Several trainers run one after the other as one (W2: N = 1, 2, 3); params concatenated. */
export function sequenceTrainer(parts: Trainer[]): Trainer {
  return {
    async reset() {
      for (const t of parts) await t.reset();
    },
    async train(epochs) {
      for (const t of parts) await t.train(epochs);
    },
    async params() {
      const out: Float64Array[] = [];
      for (const t of parts) out.push(...(await t.params()));
      return out;
    },
    async dispose() {
      for (const t of parts) await t.dispose?.();
    },
  };
}
