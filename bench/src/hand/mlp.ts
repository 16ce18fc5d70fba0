/**
 * Hand-written float64 MLP training (full batch or mini-batch; SGD or Adam): the practical limit of
 * JavaScript for W3/W4 and the float64 reference for W3–W5.
 */
import { erf } from '@annlab/core';
import type { Act, MlpProblem } from '../data.js';
import type { Trainer } from '../harness.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

/** a ← act(z) in place over n entries. */
function activate(act: Act, z: Float64Array, a: Float64Array, n: number): void {
  switch (act) {
    case 'identity':
      for (let i = 0; i < n; i++) a[i] = z[i]!;
      return;
    case 'relu':
      for (let i = 0; i < n; i++) a[i] = Math.max(z[i]!, 0);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]!);
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const v = z[i]!;
        a[i] = 0.5 * v * (1 + erf(v * SQRT1_2));
      }
      return;
  }
}

/** g ← g · act′(z) in place (a = act(z) given where it is cheaper). */
function backActivate(
  act: Act,
  z: Float64Array,
  a: Float64Array,
  g: Float64Array,
  n: number,
): void {
  switch (act) {
    case 'identity':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) if (!(z[i]! > 0)) g[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) g[i] = g[i]! * (1 - a[i]! * a[i]!);
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const v = z[i]!;
        // d gelu = Φ(v) + v φ(v)
        g[i] = g[i]! * (0.5 * (1 + erf(v * SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
      }
      return;
  }
}

/** Workspace of one MLP for batches of up to `maxRows` rows. */
interface Workspace {
  /** a[l]: layer l's input (a[0] = batch inputs), rows × sizes[l]. */
  a: Float64Array[];
  /** z[l]: pre-activation of layer l, rows × sizes[l+1]. */
  z: Float64Array[];
  /** g[l]: ∂loss/∂z[l] then ∂loss/∂a[l]. */
  g: Float64Array[];
  /** Gradients in the params layout. */
  grads: Float64Array[];
  /** Batch targets. */
  yb: Float64Array;
}

function workspace(p: MlpProblem, maxRows: number): Workspace {
  const L = p.sizes.length - 1;
  const a: Float64Array[] = [];
  const z: Float64Array[] = [];
  const g: Float64Array[] = [];
  for (let l = 0; l <= L; l++) a.push(new Float64Array(maxRows * p.sizes[l]!));
  for (let l = 0; l < L; l++) {
    z.push(new Float64Array(maxRows * p.sizes[l + 1]!));
    g.push(new Float64Array(maxRows * Math.max(p.sizes[l + 1]!, p.sizes[l]!)));
  }
  return {
    a,
    z,
    g,
    grads: p.init.map((t) => new Float64Array(t.length)),
    yb: new Float64Array(maxRows * p.sizes[L]!),
  };
}

/**
 * Forward pass over `rows` rows already in ws.a[0]; the output lands in ws.a[L].
 * z = a·W + b with W [in, out] row-major, loop order row → input → output (contiguous inner loop).
 */
function forward(p: MlpProblem, params: Float64Array[], ws: Workspace, rows: number): void {
  const L = p.sizes.length - 1;
  for (let l = 0; l < L; l++) {
    const nin = p.sizes[l]!;
    const nout = p.sizes[l + 1]!;
    const W = params[2 * l]!;
    const bias = params[2 * l + 1]!;
    const a = ws.a[l]!;
    const z = ws.z[l]!;
    for (let r = 0; r < rows; r++) {
      const zo = r * nout;
      const ao = r * nin;
      for (let j = 0; j < nout; j++) {
        // dot product in a register: no store per multiply-add
        let s = bias[j]!;
        for (let i = 0, wi = j; i < nin; i++, wi += nout) s += a[ao + i]! * W[wi]!;
        z[zo + j] = s;
      }
    }
    activate(l < L - 1 ? p.hidden : p.output, z, ws.a[l + 1]!, rows * nout);
  }
}

/**
 * Loss of the batch in ws (output ws.a[L], targets ws.yb) and, when `backward`, the gradients into
 * ws.grads. 'sse' = Σ(ŷ − y)², 'mse' = Σ(ŷ − y)² / (rows·outs).
 */
function lossAndGrad(
  p: MlpProblem,
  params: Float64Array[],
  ws: Workspace,
  rows: number,
  backward: boolean,
): number {
  const L = p.sizes.length - 1;
  const nout = p.sizes[L]!;
  const out = ws.a[L]!;
  const scale = p.loss === 'sse' ? 1 : 1 / (rows * nout);
  let loss = 0;
  let g = ws.g[L - 1]!;
  for (let i = 0; i < rows * nout; i++) {
    const r = out[i]! - ws.yb[i]!;
    loss += r * r;
    g[i] = 2 * scale * r;
  }
  if (!backward) return loss * scale;
  for (let l = L - 1; l >= 0; l--) {
    const nin = p.sizes[l]!;
    const no = p.sizes[l + 1]!;
    backActivate(l < L - 1 ? p.hidden : p.output, ws.z[l]!, ws.a[l + 1]!, g, rows * no);
    const W = params[2 * l]!;
    const gW = ws.grads[2 * l]!;
    const gb = ws.grads[2 * l + 1]!;
    const a = ws.a[l]!;
    gW.fill(0);
    gb.fill(0);
    for (let r = 0; r < rows; r++) {
      const go = r * no;
      for (let j = 0; j < no; j++) gb[j] = gb[j]! + g[go + j]!;
      const ao = r * nin;
      for (let i = 0; i < nin; i++) {
        const ai = a[ao + i]!;
        if (ai === 0) continue;
        const wo = i * no;
        for (let j = 0; j < no; j++) gW[wo + j] = gW[wo + j]! + ai * g[go + j]!;
      }
    }
    if (l > 0) {
      const gPrev = ws.g[l - 1]!;
      for (let r = 0; r < rows; r++) {
        const go = r * no;
        const po = r * nin;
        for (let i = 0; i < nin; i++) {
          const wo = i * no;
          let s = 0;
          for (let j = 0; j < no; j++) s += g[go + j]! * W[wo + j]!;
          gPrev[po + i] = s;
        }
      }
      g = gPrev;
    }
  }
  return loss * scale;
}

/** Loss of `params` on the whole data set, float64. */
export function mlpLoss(p: MlpProblem, params: Float64Array[]): number {
  const ws = workspace(p, p.rows);
  ws.a[0]!.set(p.x);
  ws.yb.set(p.y);
  forward(p, params, ws, p.rows);
  return lossAndGrad(p, params, ws, p.rows, false);
}

/** The hand-written float64 loop as a {@link Trainer}. */
export function handMlpTrainer(p: MlpProblem): Trainer {
  const maxRows = p.batch ? p.batch.size : p.rows;
  const ws = workspace(p, maxRows);
  const params = p.init.map((t) => t.slice());
  const m = p.init.map((t) => new Float64Array(t.length));
  const v = p.init.map((t) => new Float64Array(t.length));
  const nin = p.sizes[0]!;
  const nout = p.sizes[p.sizes.length - 1]!;
  let t = 0;
  const update = (): void => {
    const o = p.optimizer;
    if (o.kind === 'sgd') {
      for (let k = 0; k < params.length; k++) {
        const x = params[k]!;
        const g = ws.grads[k]!;
        for (let i = 0; i < x.length; i++) x[i] = x[i]! - o.lr * g[i]!;
      }
      return;
    }
    t++;
    const c1 = 1 / (1 - o.b1 ** t);
    const c2 = 1 / (1 - o.b2 ** t);
    for (let k = 0; k < params.length; k++) {
      const x = params[k]!;
      const g = ws.grads[k]!;
      const mk = m[k]!;
      const vk = v[k]!;
      for (let i = 0; i < x.length; i++) {
        const gi = g[i]!;
        mk[i] = o.b1 * mk[i]! + (1 - o.b1) * gi;
        vk[i] = o.b2 * vk[i]! + (1 - o.b2) * gi * gi;
        x[i] = x[i]! - (o.lr * (mk[i]! * c1)) / (Math.sqrt(vk[i]! * c2) + o.eps);
      }
    }
  };
  if (!p.batch) {
    ws.a[0]!.set(p.x);
    ws.yb.set(p.y);
  }
  return {
    reset() {
      for (let k = 0; k < params.length; k++) {
        params[k]!.set(p.init[k]!);
        m[k]!.fill(0);
        v[k]!.fill(0);
      }
      t = 0;
    },
    train(epochs) {
      for (let e = 0; e < epochs; e++) {
        if (!p.batch) {
          forward(p, params, ws, p.rows);
          lossAndGrad(p, params, ws, p.rows, true);
          update();
          continue;
        }
        const order = p.batch.orders[e]!;
        for (let s = 0; s < p.rows; s += p.batch.size) {
          const rows = Math.min(p.batch.size, p.rows - s);
          const a0 = ws.a[0]!;
          for (let r = 0; r < rows; r++) {
            const i = order[s + r]!;
            for (let c = 0; c < nin; c++) a0[r * nin + c] = p.x[i * nin + c]!;
            for (let c = 0; c < nout; c++) ws.yb[r * nout + c] = p.y[i * nout + c]!;
          }
          forward(p, params, ws, rows);
          lossAndGrad(p, params, ws, rows, true);
          update();
        }
      }
    },
    params: () => params.map((x) => x.slice()),
  };
}

/** Full-batch loss and gradient of `p` at its initial parameters, as a reusable closure (core section). */
export function handMlpValueAndGrad(p: MlpProblem): () => number {
  const ws = workspace(p, p.rows);
  ws.a[0]!.set(p.x);
  ws.yb.set(p.y);
  return () => {
    forward(p, p.init, ws, p.rows);
    return lossAndGrad(p, p.init, ws, p.rows, true);
  };
}
