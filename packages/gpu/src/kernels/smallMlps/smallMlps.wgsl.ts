/**
 * Many small dense networks (MLPs) trained at once by full-batch gradient descent, one thread per
 * network: the samples of one network are looped inside the thread, so the parallelism is across
 * networks (as in `chainSgd`). Every width, offset and array size is a compile-time constant
 * generated from the spec, so each thread keeps its parameters, gradient and per-sample
 * activations in function-local arrays.
 *
 * Thread k (mode `train`), parameters p (core's flat layout: per layer W (out×in) then b) loaded
 * once per dispatch, for epochs e0 ≤ e < e1:
 * 1. g ← 0.
 * 2. For each sample s: forward a₀ = x_s; z_l = W_l a_{l−1} + b_l, a_l = f_l(z_l);
 *    output gradient d_L = ℓ′(a_L, y_s) ⊙ f_L′(z_L) (ℓ′ unscaled, see the loss table below);
 *    backward for l = L..1: g_{b_l} += d_l; g_{W_l} += d_l a_{l−1}ᵀ;
 *    d_{l−1} = (W_lᵀ d_l) ⊙ f_{l−1}′(z_{l−1}).
 * 3. g ← scale·g (1/(n·outputs) for the means), then one optimizer update with step t = e + 1:
 *    SGD p ← p − ηg; momentum v ← μv + g, p ← p − ηv; Adam m ← β₁m + (1 − β₁)g,
 *    v ← β₂v + (1 − β₂)g², p ← p − η(m/(1 − β₁ᵗ))/(√(v/(1 − β₂ᵗ)) + ε), with 1 − βᵗ computed as
 *    −expm1(t·log β) (log β from the host in f64).
 * Parameters are stored back at the end of the dispatch; optimizer state stays in a storage buffer,
 * network-interleaved (entry i of network k at i·K + k, Adam's v after all of m).
 *
 * Mode `loss`: thread k writes L_k = scale·Σ_s Σ_o ℓ(a_L[o], y_s[o]) for its current parameters.
 *
 * Loss elements ℓ(q, t) and the unscaled derivative ℓ′, d = q − t: `halfSquaredError` ½d², d;
 * `sse` and `mse` d², 2d; `bceWithLogits` max(q, 0) − q·t + log(1 + e^(−|q|)), σ(q) − t.
 */
import {
  type ActivationSpec,
  activation,
  type MlpSpec,
  mlpLayout,
  ValidationError,
} from '@annlab/core';
import { assertInteger, invalidArgument } from '@annlab/core/internal';
import type { ShaderSource } from '../../pipelineCache.js';
import { activationWgsl } from '../biasActivation/activations.wgsl.js';
import { GPU_LOSS_NAMES, type GpuLossName } from '../loss/loss.wgsl.js';
import type { GpuOptimizerName } from '../optimizer/optimizer.wgsl.js';

/** Threads (networks) per workgroup. */
export const SMALL_MLPS_WORKGROUP = 64;
/** The widest layer (inputs and outputs included) a small MLP may have. */
export const SMALL_MLP_MAX_WIDTH = 16;
/** The most dense layers (weight matrices) a small MLP may have. */
export const SMALL_MLP_MAX_LAYERS = 4;

/** Networks with at most this many parameters get fully unrolled loops by default. */
export const SMALL_MLPS_UNROLL_PARAMS = 128;

/** What a compiled variant of the kernel does besides the spec. */
export interface SmallMlpsVariant {
  readonly loss: GpuLossName;
  /** Update rule (`mode: 'train'` only; ignored for `'loss'`). */
  readonly optimizer: GpuOptimizerName;
  readonly mode: 'train' | 'loss';
  /**
   * Unroll every loop over widths and parameters (constant indices everywhere); default when the
   * network has at most {@link SMALL_MLPS_UNROLL_PARAMS} parameters.
   */
  readonly unroll?: boolean;
}

/**
 * Validates a spec for the small-MLP kernel: core's checks (sizes, activations), then every width
 * ≤ {@link SMALL_MLP_MAX_WIDTH} and at most {@link SMALL_MLP_MAX_LAYERS} layers. Returns the number of
 * parameters (core's `mlpLayout(spec).size`).
 */
export function checkSmallMlpSpec(fn: string, spec: MlpSpec): number {
  if (spec === null || typeof spec !== 'object') {
    throw invalidArgument(fn, 'spec', spec, 'an MlpSpec { sizes, activations }');
  }
  const size = mlpLayout(spec).size;
  const layers = spec.sizes.length - 1;
  if (layers > SMALL_MLP_MAX_LAYERS) {
    throw new ValidationError(
      `${fn}: spec.sizes must have at most ${SMALL_MLP_MAX_LAYERS + 1} entries (${SMALL_MLP_MAX_LAYERS} layers), got ${spec.sizes.length}`,
      fn,
      'spec.sizes',
    );
  }
  spec.sizes.forEach((s, i) => {
    assertInteger(fn, `spec.sizes[${i}]`, s, 1, SMALL_MLP_MAX_WIDTH);
  });
  return size;
}

const LOSS_ELEMENT: Record<GpuLossName, string> = {
  halfSquaredError: 'let d = q - t; l = 0.5 * d * d; gl = d;',
  sse: 'let d = q - t; l = d * d; gl = 2.0 * d;',
  mse: 'let d = q - t; l = d * d; gl = 2.0 * d;',
  bceWithLogits: `let ex = exp(-abs(q));
      let lp = select(log(1.0 + ex), ex * (1.0 - ex * (0.5 - ex * 0.33333334)), ex < 0.01);
      l = max(q, 0.0) - q * t + lp;
      gl = select(ex / (1.0 + ex), 1.0 / (1.0 + ex), q >= 0.0) - t;`,
};

const ACT_MARKER = '\nfn act(z: f32) -> f32 {';

/** Per distinct activation: `act_<i>`/`dact_<i>` definitions; the shared helpers once. */
function activationFunctions(specs: readonly ActivationSpec[]): {
  code: string;
  names: string[];
  identity: boolean[];
} {
  const labels: string[] = [];
  const defs: string[] = [];
  let helpers = '';
  const names = specs.map((s) => {
    const a = activation(s);
    let i = labels.indexOf(a.label);
    if (i < 0) {
      i = labels.length;
      labels.push(a.label);
      const full = activationWgsl(s);
      const at = full.indexOf(ACT_MARKER);
      if (at < 0) throw new Error('makeSmallMlpsShader: unexpected activationWgsl layout');
      helpers ||= full.slice(0, at);
      defs.push(
        full.slice(at).replace('fn act(z', `fn act_${i}(z`).replace('fn dact(z', `fn dact_${i}(z`),
      );
    }
    return `${i}`;
  });
  return {
    code: helpers + defs.join(''),
    names,
    identity: specs.map((s) => activation(s).name === 'identity'),
  };
}

/**
 * WGSL of the small-MLPs kernel for one spec (every width ≤ 16, at most 4 layers), loss, optimizer
 * and mode; bindings: params {K, n, e0, e1, lr, a, b, eps, log_a, log_b, scale}, theta (K × P in
 * core's flat layout, read and written), x (n × inputs), y (n × outputs), state (optimizer state,
 * network-interleaved; at least one word), losses (K, written in mode `loss`).
 *
 * @example
 * ```ts
 * const { code } = makeSmallMlpsShader(mlpSpec([2, 2, 1], 'sigmoid', 'sigmoid'), {
 *   loss: 'mse', optimizer: 'adam', mode: 'train',
 * });
 * ```
 */
export function makeSmallMlpsShader(spec: MlpSpec, variant: SmallMlpsVariant): ShaderSource {
  const fn = 'makeSmallMlpsShader';
  const P = checkSmallMlpSpec(fn, spec);
  const { layers } = mlpLayout(spec);
  const L = layers.length;
  const sizes = spec.sizes;
  const { loss, optimizer, mode } = variant;
  if (!Object.hasOwn(LOSS_ELEMENT, loss)) {
    throw invalidArgument(fn, 'variant.loss', loss, `one of ${GPU_LOSS_NAMES.join(', ')}`);
  }
  if (optimizer !== 'sgd' && optimizer !== 'momentum' && optimizer !== 'adam') {
    throw invalidArgument(fn, 'variant.optimizer', optimizer, "'sgd', 'momentum' or 'adam'");
  }
  if (mode !== 'train' && mode !== 'loss') {
    throw invalidArgument(fn, 'variant.mode', mode, "'train' or 'loss'");
  }
  const train = mode === 'train';
  const acts = activationFunctions(spec.activations);
  const u = (v: number) => `${v}u`;
  // Array names: a0 the input; z<l>, a<l> layer l's pre-activations and activations (an identity
  // layer's activations are its pre-activations); d<l> its deltas.
  const aName = (l: number) => (l === 0 ? 'a0' : acts.identity[l - 1] ? `z${l}` : `a${l}`);
  const decls: string[] = [`var a0: array<f32, ${sizes[0]}>;`];
  for (let l = 1; l <= L; l++) {
    decls.push(`var z${l}: array<f32, ${sizes[l]}>;`);
    if (!acts.identity[l - 1]) decls.push(`var a${l}: array<f32, ${sizes[l]}>;`);
    if (train) decls.push(`var d${l}: array<f32, ${sizes[l]}>;`);
  }

  // Loops over widths and parameters: unrolled (constant indices, so the compiler can keep the
  // arrays in registers) or as loops with constant bounds.
  const unroll = variant.unroll ?? P <= SMALL_MLPS_UNROLL_PARAMS;
  const rep = (count: number, v: string, body: (i: string) => string): string =>
    unroll
      ? Array.from({ length: count }, (_, j) => `{ ${body(u(j))} }`).join('\n      ')
      : `for (var ${v} = 0u; ${v} < ${u(count)}; ${v}++) { ${body(v)} }`;

  const forward: string[] = [
    rep(sizes[0]!, 'i', (i) => `a0[${i}] = x[s * ${u(sizes[0]!)} + ${i}];`),
  ];
  layers.forEach(({ inSize, outSize, wOffset, bOffset }, l0) => {
    const l = l0 + 1;
    forward.push(
      rep(
        outSize,
        'o',
        (o) => `var acc = p[${u(bOffset)} + ${o}];
        ${rep(inSize, 'i', (i) => `acc += p[${u(wOffset)} + ${o} * ${u(inSize)} + ${i}] * ${aName(l - 1)}[${i}];`)}
        z${l}[${o}] = acc;${acts.identity[l0] ? '' : ` a${l}[${o}] = act_${acts.names[l0]}(acc);`}`,
      ),
    );
  });

  const outW = sizes[L]!;
  const lossLoop = rep(
    outW,
    'o',
    (o) => `let q = ${aName(L)}[${o}];
        let t = y[s * ${u(outW)} + ${o}];
        var l: f32;
        var gl: f32;
        ${LOSS_ELEMENT[loss]}
        ${
          train
            ? `d${L}[${o}] = gl${acts.identity[L - 1] ? '' : ` * dact_${acts.names[L - 1]}(z${L}[${o}])`};`
            : 'total += l;'
        }`,
  );

  const backward: string[] = [];
  if (train) {
    for (let l = L; l >= 1; l--) {
      const { inSize, outSize, wOffset, bOffset } = layers[l - 1]!;
      const prev = aName(l - 1);
      const back = l > 1;
      if (back) backward.push(rep(inSize, 'i', (i) => `d${l - 1}[${i}] = 0.0;`));
      backward.push(
        rep(
          outSize,
          'o',
          (o) => `let dv = d${l}[${o}];
        g[${u(bOffset)} + ${o}] += dv;
        ${rep(
          inSize,
          'i',
          (i) => `let w = ${u(wOffset)} + ${o} * ${u(inSize)} + ${i};
          g[w] += dv * ${prev}[${i}];${back ? ` d${l - 1}[${i}] += dv * p[w];` : ''}`,
        )}`,
        ),
      );
      if (back && !acts.identity[l - 2]) {
        backward.push(
          rep(inSize, 'i', (i) => `d${l - 1}[${i}] *= dact_${acts.names[l - 2]}(z${l - 1}[${i}]);`),
        );
      }
    }
  }

  let update: (i: string) => string;
  let pre = '';
  if (optimizer === 'sgd') {
    update = (i) => `p[${i}] = p[${i}] - params.lr * params.scale * g[${i}];`;
  } else if (optimizer === 'momentum') {
    update = (i) => `let gi = params.scale * g[${i}];
        let si = ${i} * params.K + k;
        let v = params.a * state[si] + gi;
        state[si] = v;
        p[${i}] = p[${i}] - params.lr * v;`;
  } else {
    pre = `let t = f32(e + 1u);
    let c1 = one_minus_exp(t * params.log_a);
    let c2 = one_minus_exp(t * params.log_b);`;
    update = (i) => `let gi = params.scale * g[${i}];
        let mi = ${i} * params.K + k;
        let vi = ${u(P)} * params.K + mi;
        let m = params.a * state[mi] + (1.0 - params.a) * gi;
        let v = params.b * state[vi] + (1.0 - params.b) * gi * gi;
        state[mi] = m;
        state[vi] = v;
        p[${i}] = p[${i}] - params.lr * (m / c1) / (sqrt(v / c2) + params.eps);`;
  }

  const body = train
    ? `var g: array<f32, ${P}>;
  for (var e = params.e0; e < params.e1; e++) {
    ${rep(P, 'i', (i) => `g[${i}] = 0.0;`)}
    for (var s = 0u; s < params.n; s++) {
      ${forward.join('\n      ')}
      ${lossLoop}
      ${backward.join('\n      ')}
    }
    ${pre}
    ${rep(P, 'i', update)}
  }
  ${rep(P, 'i', (i) => `theta[base + ${i}] = p[${i}];`)}`
    : `var total = 0.0;
  for (var s = 0u; s < params.n; s++) {
      ${forward.join('\n      ')}
      ${lossLoop}
  }
  losses[k] = params.scale * total;`;

  const code = `struct Params { K: u32, n: u32, e0: u32, e1: u32, lr: f32, a: f32, b: f32, eps: f32, log_a: f32, log_b: f32, scale: f32, pad: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> theta: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> state: array<f32>;
@group(0) @binding(5) var<storage, read_write> losses: array<f32>;
${acts.code}
// 1 − eˣ for x ≤ 0 without cancellation: 1 − βᵗ = 1 − exp(t·log β).
fn one_minus_exp(x: f32) -> f32 {
  if (x > -0.1) {
    return -x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 + x * 0.0013888889)))));
  }
  return 1.0 - exp(x);
}
// sizes ${sizes.join('→')}, activations ${spec.activations.map((a) => activation(a).label).join(', ')}
const P: u32 = ${u(P)};

@compute @workgroup_size(${SMALL_MLPS_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let k = gid.x;
  if (k >= params.K) { return; }
  let base = k * P;
  var p: array<f32, ${P}>;
  ${rep(P, 'i', (i) => `p[${i}] = theta[base + ${i}];`)}
  ${decls.join('\n  ')}
  ${body}
}
`;
  return {
    code,
    bindings: [
      'uniform',
      'storage',
      'read-only-storage',
      'read-only-storage',
      'storage',
      'storage',
    ],
    workgroupSize: [SMALL_MLPS_WORKGROUP, 1, 1],
  };
}

/** The pipeline-cache key of a variant: spec sizes and activation labels, loss, optimizer, mode. */
export function smallMlpsKey(spec: MlpSpec, variant: SmallMlpsVariant): string {
  const acts = spec.activations.map((a) => activation(a).label).join(',');
  const opt = variant.mode === 'train' ? `,${variant.optimizer}` : '';
  const unroll = variant.unroll === undefined ? '' : variant.unroll ? ',unrolled' : ',loops';
  return `smallMlps(${spec.sizes.join('-')};${acts};${variant.loss}${opt},${variant.mode}${unroll})`;
}
