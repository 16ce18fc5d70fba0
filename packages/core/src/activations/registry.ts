/**
 * Activations by name: `activation('gelu')`, `activation({ name: 'leakyRelu', slope: 0.2 })`.
 * An {@link Activation} bundles f, f' and array paths used by the dense-network hot loops.
 */
import { formatValue, ValidationError } from '../errors.js';
import * as A from './activations.js';

/** Names of the elementwise activations. */
export const ACTIVATION_NAMES = [
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'gelu',
  'identity',
  'softplus',
  'elu',
] as const;

/** The name of an elementwise activation: one of {@link ACTIVATION_NAMES}. */
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** An activation by name, or with its parameter. */
export type ActivationSpec =
  | ActivationName
  | {
      /** Leaky ReLU. */
      name: 'leakyRelu';
      /** Slope for x ≤ 0 (default 0.01). */
      slope?: number;
    }
  | {
      /** ELU. */
      name: 'elu';
      /** Scale α of the negative part α(eˣ − 1) (default 1). */
      alpha?: number;
    }
  | {
      /** GELU. */
      name: 'gelu';
      /** `'none'` (default): exact, x·Φ(x) with erf; `'tanh'`: the tanh approximation. */
      approximate?: 'none' | 'tanh';
    }
  | {
      /** An activation without parameters. */
      name: Exclude<ActivationName, 'leakyRelu' | 'elu' | 'gelu'>;
    };

/** Typed arrays the array paths accept. */
export type FloatArray = Float64Array | Float32Array;

/**
 * An activation resolved by {@link activation}: the scalar function and its derivative, and array
 * forms for hot loops.
 *
 * @example
 * ```ts
 * const a = activation('sigmoid');
 * a.f(0); // 0.5
 * a.df(0); // 0.25
 * ```
 */
export interface Activation {
  /** The activation's name, e.g. `'leakyRelu'`. */
  readonly name: ActivationName;
  /** The normalised spec, with defaults filled in (JSON-serialisable). */
  readonly spec: ActivationSpec;
  /** Short label for plots and logs, e.g. `leakyRelu(0.01)`. */
  readonly label: string;
  /** y = f(z). */
  f(z: number): number;
  /** f'(z), derivative with respect to the pre-activation. */
  df(z: number): number;
  /** out[i] = f(z[i]) for i < n (n defaults to z.length). `out` may be `z`. */
  apply(z: FloatArray, out: FloatArray, n?: number): void;
  /** out[i] = f'(z[i]) for i < n. `out` may be `z`. */
  applyDerivative(z: FloatArray, out: FloatArray, n?: number): void;
}

type ArrayForm = (z: FloatArray, out: FloatArray, n?: number) => void;

function make(
  name: ActivationName,
  spec: ActivationSpec,
  label: string,
  f: (z: number) => number,
  df: (z: number) => number,
  arrays?: { apply: ArrayForm; applyDerivative: ArrayForm },
): Activation {
  return {
    name,
    spec,
    label,
    f,
    df,
    apply:
      arrays?.apply ??
      ((z, out, n = z.length) => {
        for (let i = 0; i < n; i++) out[i] = f(z[i]!);
      }),
    applyDerivative:
      arrays?.applyDerivative ??
      ((z, out, n = z.length) => {
        for (let i = 0; i < n; i++) out[i] = df(z[i]!);
      }),
  };
}

/** Exact GELU's array forms: erf inline in the loop (bit-identical to `f` and `df`). */
const GELU_ARRAYS = { apply: A.geluArray, applyDerivative: A.geluDerivativeArray };

function checkParam(name: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(
      `activation: ${name}.${key} must be a finite number, got ${formatValue(value)}`,
      'activation',
      `spec.${key}`,
    );
  }
  return value;
}

/** Looks up an activation by name or spec; throws a ValidationError naming unknown names. */
export function activation(spec: ActivationSpec): Activation {
  const name = typeof spec === 'string' ? spec : spec?.name;
  switch (name) {
    case 'sigmoid':
      return make(name, name, name, A.sigmoid, A.sigmoidDerivative);
    case 'tanh':
      return make(name, name, name, A.tanh, A.tanhDerivative);
    case 'relu':
      return make(name, name, name, A.relu, A.reluDerivative);
    case 'identity':
      return make(name, name, name, A.identity, A.identityDerivative);
    case 'softplus':
      return make(name, name, name, A.softplus, A.softplusDerivative);
    case 'leakyRelu': {
      const raw = typeof spec === 'string' ? 0.01 : ((spec as { slope?: number }).slope ?? 0.01);
      const slope = checkParam(name, 'slope', raw);
      if (!(slope >= 0 && slope <= 1)) {
        throw new ValidationError(
          `activation: leakyRelu.slope must be in [0, 1], got ${formatValue(slope)}`,
          'activation',
          'spec.slope',
        );
      }
      return make(
        name,
        { name, slope },
        `leakyRelu(${slope})`,
        (z) => A.leakyRelu(z, slope),
        (z) => A.leakyReluDerivative(z, slope),
      );
    }
    case 'elu': {
      const raw = typeof spec === 'string' ? 1 : ((spec as { alpha?: number }).alpha ?? 1);
      const alpha = checkParam(name, 'alpha', raw);
      return make(
        name,
        { name, alpha },
        `elu(${alpha})`,
        (z) => A.elu(z, alpha),
        (z) => A.eluDerivative(z, alpha),
      );
    }
    case 'gelu': {
      const approximate =
        typeof spec === 'string'
          ? 'none'
          : ((spec as { approximate?: string }).approximate ?? 'none');
      if (approximate === 'none') {
        return make(name, { name, approximate }, 'gelu', A.gelu, A.geluDerivative, GELU_ARRAYS);
      }
      if (approximate === 'tanh') {
        return make(name, { name, approximate }, 'gelu(tanh)', A.geluTanh, A.geluTanhDerivative);
      }
      throw new ValidationError(
        `activation: gelu.approximate must be 'none' or 'tanh', got ${formatValue(approximate)}`,
        'activation',
        'spec.approximate',
      );
    }
    default:
      throw new ValidationError(
        `activation: spec must be one of ${ACTIVATION_NAMES.join(', ')}, got ${formatValue(spec)}`,
        'activation',
        'spec',
      );
  }
}
