/**
 * Fused bias + activation, its derivative, and the backward product, elementwise over a row-major
 * rows×cols matrix Z (one row per sample, one column per unit).
 *
 * Modes (grid-stride loop over i < rows·cols, column c = i mod cols):
 * - `forward`: Z[i] += b[c] (when `bias`), then A[i] = f(Z[i]); Z keeps the biased
 *   pre-activation for the backward pass.
 * - `derivative`: D[i] = f'(Z[i]).
 * - `backward`: dZ[i] = G[i] · f'(Z[i]) (the upstream gradient times the local derivative).
 */
import type { ActivationSpec } from '@annlab/core';
import type { ShaderSource } from '../../pipelineCache.js';
import { activationWgsl } from './activations.wgsl.js';

/** Which elementwise map the kernel computes. */
export type BiasActivationMode = 'forward' | 'derivative' | 'backward';

/** Compile-time parameters of the bias/activation kernel. */
export interface BiasActivationShaderParams {
  readonly activation: ActivationSpec;
  readonly mode: BiasActivationMode;
  /** Add a per-column bias in `forward` mode. */
  readonly bias?: boolean;
}

/** Threads per workgroup of the elementwise kernels. */
export const ELEMENTWISE_WORKGROUP = 256;

/** WGSL of the bias/activation kernel; bindings depend on the mode (see {@link BiasActivationMode}). */
export function makeBiasActivationShader(p: BiasActivationShaderParams): ShaderSource {
  const head = `struct Dims { count: u32, cols: u32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<uniform> dims: Dims;`;
  let decls: string;
  let stmt: string;
  let bindings: ShaderSource['bindings'];
  if (p.mode === 'forward' && p.bias) {
    decls = `@group(0) @binding(1) var<storage, read_write> Z: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> A: array<f32>;`;
    stmt = 'let z = Z[i] + bias[i % dims.cols]; Z[i] = z; A[i] = act(z);';
    bindings = ['uniform', 'storage', 'read-only-storage', 'storage'];
  } else if (p.mode === 'forward') {
    decls = `@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read_write> A: array<f32>;`;
    stmt = 'A[i] = act(Z[i]);';
    bindings = ['uniform', 'read-only-storage', 'storage'];
  } else if (p.mode === 'derivative') {
    decls = `@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read_write> D: array<f32>;`;
    stmt = 'D[i] = dact(Z[i]);';
    bindings = ['uniform', 'read-only-storage', 'storage'];
  } else {
    decls = `@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read> G: array<f32>;
@group(0) @binding(3) var<storage, read_write> dZ: array<f32>;`;
    stmt = 'dZ[i] = G[i] * dact(Z[i]);';
    bindings = ['uniform', 'read-only-storage', 'read-only-storage', 'storage'];
  }
  const code = `${head}
${decls}
${activationWgsl(p.activation)}
@compute @workgroup_size(${ELEMENTWISE_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * ${ELEMENTWISE_WORKGROUP}u;
  for (var i = gid.x; i < dims.count; i += stride) {
    ${stmt}
  }
}
`;
  return { code, bindings, workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1] };
}
