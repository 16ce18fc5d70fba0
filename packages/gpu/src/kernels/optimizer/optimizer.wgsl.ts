/**
 * Parameter updates, elementwise over a flat parameter vector p with gradient g (grid-stride loop).
 *
 * - `sgd`: p ← p − η·g
 * - `momentum`: v ← μ·v + g; p ← p − η·v (the PyTorch / optax convention)
 * - `adam`: t ← step[0]; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
 *   p ← p − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 *
 * The bias corrections 1 − βᵗ are computed as −expm1(t·log β) (log β in f64 on the host): in
 * float32, 1 − pow(0.999, t) would lose 4 of its 7 digits at small t.
 * Adam's step count t lives in a GPU buffer advanced by the `tick` kernel before each update, so
 * many steps can be recorded in one submission without the CPU in between.
 */
import type { ShaderSource } from '../../pipelineCache.js';
import { ELEMENTWISE_WORKGROUP } from '../biasActivation/biasActivation.wgsl.js';

/** Optimizers with a GPU update kernel. */
export type GpuOptimizerName = 'sgd' | 'momentum' | 'adam';

const W = ELEMENTWISE_WORKGROUP;

/** WGSL of an update; bindings: params, p, g, then v (momentum) or m, v, step (adam). */
export function makeOptimizerShader(name: GpuOptimizerName): ShaderSource {
  const head = `struct Params { count: u32, lr: f32, a: f32, b: f32, eps: f32, log_a: f32, log_b: f32, pad: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> P: array<f32>;
@group(0) @binding(2) var<storage, read> G: array<f32>;`;
  let decls = '';
  let pre = '';
  let stmt: string;
  let bindings: ShaderSource['bindings'];
  if (name === 'sgd') {
    stmt = 'P[i] = P[i] - params.lr * G[i];';
    bindings = ['uniform', 'storage', 'read-only-storage'];
  } else if (name === 'momentum') {
    decls = '@group(0) @binding(3) var<storage, read_write> V: array<f32>;';
    stmt = 'let v = params.a * V[i] + G[i]; V[i] = v; P[i] = P[i] - params.lr * v;';
    bindings = ['uniform', 'storage', 'read-only-storage', 'storage'];
  } else {
    decls = `@group(0) @binding(3) var<storage, read_write> M: array<f32>;
@group(0) @binding(4) var<storage, read_write> V: array<f32>;
@group(0) @binding(5) var<storage, read> step: array<u32>;`;
    pre = `let t = f32(step[0]);
  let c1 = one_minus_exp(t * params.log_a);
  let c2 = one_minus_exp(t * params.log_b);`;
    stmt = `let g = G[i];
    let m = params.a * M[i] + (1.0 - params.a) * g;
    let v = params.b * V[i] + (1.0 - params.b) * g * g;
    M[i] = m;
    V[i] = v;
    P[i] = P[i] - params.lr * (m / c1) / (sqrt(v / c2) + params.eps);`;
    bindings = [
      'uniform',
      'storage',
      'read-only-storage',
      'storage',
      'storage',
      'read-only-storage',
    ];
  }
  const code = `${head}
${decls}
// 1 − eˣ for x ≤ 0 without cancellation: 1 − βᵗ = 1 − exp(t·log β), log β from the host in f64.
fn one_minus_exp(x: f32) -> f32 {
  if (x > -0.1) {
    return -x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 + x * 0.0013888889)))));
  }
  return 1.0 - exp(x);
}
@compute @workgroup_size(${W})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * ${W}u;
  ${pre}
  for (var i = gid.x; i < params.count; i += stride) {
    ${stmt}
  }
}
`;
  return { code, bindings, workgroupSize: [W, 1, 1] };
}

/** WGSL that advances the step counter: step[0] += 1 (one thread). */
export function makeTickShader(): ShaderSource {
  return {
    code: `@group(0) @binding(0) var<storage, read_write> step: array<u32>;
@compute @workgroup_size(1)
fn main() { step[0] = step[0] + 1u; }
`,
    bindings: ['storage'],
    workgroupSize: [1, 1, 1],
  };
}
