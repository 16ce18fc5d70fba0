/**
 * The shape of a dense network: layer sizes, per-layer activations, and where each layer's weights
 * and biases sit in the flat parameter vector.
 */
import { type Activation, type ActivationSpec, activation } from '../../activations/index.js';
import { formatValue, invalidArgument, ShapeError, ValidationError } from '../../errors.js';

/**
 * A dense network (MLP) `sizes[0] → sizes[1] → … → sizes[L]` with `activations[l]` applied after
 * layer l + 1, so `activations.length === sizes.length − 1`.
 */
export interface MlpSpec {
  /** Layer widths, input first. */
  readonly sizes: readonly number[];
  /** One activation per layer after the input (`sizes.length − 1` of them). */
  readonly activations: readonly ActivationSpec[];
}

/** Where one layer's parameters sit in the flat parameter vector. */
export interface MlpLayerLayout {
  /** Inputs of the layer (width of the layer below). */
  readonly inSize: number;
  /** Outputs of the layer. */
  readonly outSize: number;
  /** Offset of W (outSize × inSize, row-major: W[o][i] at `wOffset + o·inSize + i`). */
  readonly wOffset: number;
  /** Offset of b (outSize entries). */
  readonly bOffset: number;
}

/** The flat parameter layout: per layer W (out×in, row-major) then b (out). */
export interface MlpLayout {
  /** Total number of parameters. */
  readonly size: number;
  /** One entry per layer, input side first. */
  readonly layers: readonly MlpLayerLayout[];
}

/**
 * The spec of an MLP with one activation on every hidden layer and another on the output layer.
 *
 * @param sizes Layer widths, input first: at least two integers ≥ 1.
 * @param hidden Activation after each hidden layer.
 * @param output Activation after the last layer (default `'identity'`).
 * @example
 * ```ts
 * const spec = mlpSpec([1, 64, 64, 1], 'tanh'); // W4: tanh hidden, identity output
 * spec.activations; // ['tanh', 'tanh', 'identity']
 * ```
 */
export function mlpSpec(
  sizes: number[],
  hidden: ActivationSpec,
  output: ActivationSpec = 'identity',
): MlpSpec {
  checkSizes('mlpSpec', sizes);
  const h = activationFor('mlpSpec', 'hidden', hidden).spec;
  const o = activationFor('mlpSpec', 'output', output).spec;
  const activations = sizes.slice(1).map((_, l) => (l === sizes.length - 2 ? o : h));
  return Object.freeze({
    sizes: Object.freeze(sizes.slice()),
    activations: Object.freeze(activations),
  });
}

/**
 * The flat parameter layout of a spec: layer l's W (out×in, row-major) then its b.
 *
 * @example
 * ```ts
 * const { size, layers } = mlpLayout(mlpSpec([2, 3, 1], 'tanh'));
 * size; // 2·3 + 3 + 3·1 + 1 = 13
 * layers[1]; // { inSize: 3, outSize: 1, wOffset: 9, bOffset: 12 }
 * ```
 */
export function mlpLayout(spec: MlpSpec): MlpLayout {
  return resolveSpec('mlpLayout', spec).layout;
}

/** Activation codes for the dense kernels (one switch per layer, monomorphic inner loops). */
export const Act = {
  Identity: 0,
  Sigmoid: 1,
  Tanh: 2,
  Relu: 3,
  LeakyRelu: 4,
  Gelu: 5,
  GeluTanh: 6,
  Softplus: 7,
  Elu: 8,
} as const;
export type Act = (typeof Act)[keyof typeof Act];

/** A validated spec with everything the hot loops need precomputed. */
export interface ResolvedSpec {
  readonly spec: MlpSpec;
  readonly sizes: readonly number[];
  readonly layout: MlpLayout;
  /** Activation code per layer. */
  readonly acts: readonly Act[];
  /** Activation parameter per layer (slope of leakyRelu, alpha of elu, else 0). */
  readonly actParams: readonly number[];
  readonly inSize: number;
  readonly outSize: number;
  /** Widest layer (for the backward ping-pong buffers). */
  readonly maxWidth: number;
}

/** Validates a spec (sizes, activation count, each activation) and precomputes its layout. */
export function resolveSpec(fn: string, spec: MlpSpec): ResolvedSpec {
  if (typeof spec !== 'object' || spec === null) {
    throw invalidArgument(fn, 'spec', spec, 'an MlpSpec { sizes, activations }');
  }
  const { sizes, activations } = spec;
  checkSizes(fn, sizes, 'spec.sizes');
  if (!Array.isArray(activations) || activations.length !== sizes.length - 1) {
    const got = Array.isArray(activations) ? activations.length : formatValue(activations);
    throw new ShapeError(
      `${fn}: spec.activations must have sizes.length − 1 = ${sizes.length - 1} entries, got ${got}`,
      fn,
      'spec.activations',
    );
  }
  const layers: MlpLayerLayout[] = [];
  const acts: Act[] = [];
  const actParams: number[] = [];
  let offset = 0;
  let maxWidth = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inSize = sizes[l]!;
    const outSize = sizes[l + 1]!;
    layers.push(
      Object.freeze({ inSize, outSize, wOffset: offset, bOffset: offset + inSize * outSize }),
    );
    offset += (inSize + 1) * outSize;
    maxWidth = Math.max(maxWidth, inSize, outSize);
    const [code, param] = activationCode(
      activationFor(fn, `spec.activations[${l}]`, activations[l]!),
    );
    acts.push(code);
    actParams.push(param);
  }
  return {
    spec,
    sizes,
    layout: Object.freeze({ size: offset, layers: Object.freeze(layers) }),
    acts,
    actParams,
    inSize: sizes[0]!,
    outSize: sizes[sizes.length - 1]!,
    maxWidth,
  };
}

/**
 * True when `spec` describes the same network as `resolved` (same sizes, same activations).
 * Allocation-free, so the hot path can accept an equal spec object that is not the same object.
 */
export function sameSpec(resolved: ResolvedSpec, spec: MlpSpec): boolean {
  if (spec === resolved.spec) return true;
  if (typeof spec !== 'object' || spec === null) return false;
  const { sizes, activations } = spec;
  if (!Array.isArray(sizes) || sizes.length !== resolved.sizes.length) return false;
  if (!Array.isArray(activations) || activations.length !== sizes.length - 1) return false;
  for (let l = 0; l < sizes.length; l++) if (sizes[l] !== resolved.sizes[l]) return false;
  for (let l = 0; l < activations.length; l++) {
    const a = activations[l] as ActivationSpec;
    const name = typeof a === 'string' ? a : a?.name;
    const code = resolved.acts[l]!;
    const param = resolved.actParams[l]!;
    switch (name) {
      case 'identity':
      case 'sigmoid':
      case 'tanh':
      case 'relu':
      case 'softplus':
        if (code !== SIMPLE_CODES[name]) return false;
        break;
      case 'leakyRelu': {
        const slope = typeof a === 'string' ? 0.01 : ((a as { slope?: number }).slope ?? 0.01);
        if (code !== Act.LeakyRelu || slope !== param) return false;
        break;
      }
      case 'elu': {
        const alpha = typeof a === 'string' ? 1 : ((a as { alpha?: number }).alpha ?? 1);
        if (code !== Act.Elu || alpha !== param) return false;
        break;
      }
      case 'gelu': {
        const approx =
          typeof a === 'string' ? 'none' : ((a as { approximate?: string }).approximate ?? 'none');
        if (code !== (approx === 'tanh' ? Act.GeluTanh : Act.Gelu)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

const SIMPLE_CODES = {
  identity: Act.Identity,
  sigmoid: Act.Sigmoid,
  tanh: Act.Tanh,
  relu: Act.Relu,
  softplus: Act.Softplus,
} as const;

/** The kernel code and parameter of a validated activation. */
function activationCode(a: Activation): [Act, number] {
  switch (a.name) {
    case 'leakyRelu':
      return [Act.LeakyRelu, (a.spec as { slope: number }).slope];
    case 'elu':
      return [Act.Elu, (a.spec as { alpha: number }).alpha];
    case 'gelu':
      return [
        (a.spec as { approximate: string }).approximate === 'tanh' ? Act.GeluTanh : Act.Gelu,
        0,
      ];
    default:
      return [SIMPLE_CODES[a.name], 0];
  }
}

/**
 * `activation(spec)`, with a failure re-attributed to the caller:
 * `neuron: act is invalid (activation: spec must be one of …)`.
 */
export function activationFor(fn: string, arg: string, spec: ActivationSpec): Activation {
  try {
    return activation(spec);
  } catch (e) {
    if (e instanceof ValidationError) {
      throw new ValidationError(`${fn}: ${arg} is invalid (${e.message})`, fn, arg);
    }
    throw e;
  }
}

function checkSizes(fn: string, sizes: unknown, arg = 'sizes'): asserts sizes is number[] {
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw invalidArgument(fn, arg, sizes, 'an array of at least two layer sizes');
  }
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i];
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1) {
      throw new ValidationError(
        `${fn}: ${arg}[${i}] must be an integer ≥ 1, got ${formatValue(s)}`,
        fn,
        arg,
      );
    }
  }
}
