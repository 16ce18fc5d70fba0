/**
 * The playground's whole state in the URL (`#/playground?f=log(x)&a=0.5&…`), so a link
 * reproduces a run. Parsing validates every field; a malformed state is rejected as a whole with
 * messages naming the fields, and the defaults are kept.
 */
import { ACTIVATION_NAMES, type ActivationName, type LossName } from '@annlab/core';
import { PLANE_SETS, type PlaneSetName } from '../playground/datasets.js';
import {
  type Backend,
  LIMITS,
  type OptimizerName,
  type Regularization,
  type ScheduleName,
} from '../worker/protocol.js';

/** What the network learns: numbers (regression) or classes (classification). */
export type Mode = 'regression' | 'classification';
/** Where the data comes from: the formula, one of the 2-D sets, or an uploaded CSV file. */
export type DataSource = 'formula' | PlaneSetName | 'csv';

/** Everything the playground needs to reproduce a run. */
export interface PlaygroundState {
  readonly mode: Mode;
  readonly data: DataSource;
  /** The target formula in x. */
  readonly f: string;
  /** Domain [a, b]. */
  readonly a: number;
  readonly b: number;
  /** Number of points. */
  readonly n: number;
  /**
   * Standard deviation of Gaussian noise: added to the targets of a formula, to the coordinates of
   * a 2-D set.
   */
  readonly noise: number;
  /** Percentage of the points used for training (the rest is the test set). */
  readonly ratio: number;
  /** Hidden layers. */
  readonly depth: number;
  /** Units per hidden layer. */
  readonly width: number;
  readonly act: ActivationName;
  readonly out: ActivationName;
  readonly loss: LossName;
  readonly opt: OptimizerName;
  readonly lr: number;
  readonly sched: ScheduleName;
  /** 'full', 'sgd' or a mini-batch size. */
  readonly batch: 'full' | 'sgd' | number;
  readonly epochs: number;
  readonly seed: number;
  readonly backend: Backend;
  /** Standardise inputs and targets. */
  readonly norm: boolean;
  /** Penalty on the weights (not the biases), and its rate. */
  readonly reg: 'none' | Regularization['kind'];
  readonly rate: number;
}

/** The defaults: sin(3x) on [−2, 2] with a small tanh network and Adam. */
export const DEFAULT_STATE: PlaygroundState = Object.freeze({
  mode: 'regression',
  data: 'formula',
  f: 'sin(3x)',
  a: -2,
  b: 2,
  n: 200,
  noise: 0,
  ratio: 50,
  depth: 2,
  width: 16,
  act: 'tanh',
  out: 'identity',
  loss: 'mse',
  opt: 'adam',
  lr: 0.01,
  sched: 'constant',
  batch: 32,
  epochs: 300,
  seed: 0,
  backend: 'cpu',
  norm: false,
  reg: 'none',
  rate: 0.001,
});

export const ACTIVATIONS: readonly ActivationName[] = ACTIVATION_NAMES;
export const LOSSES: readonly LossName[] = ['mse', 'sse', 'halfSquaredError'];
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];
export const SCHEDULES: readonly ScheduleName[] = ['constant', 'step', 'exponential', 'cosine'];
const BACKENDS: readonly Backend[] = ['cpu', 'webgpu'];
export const MODES: readonly Mode[] = ['regression', 'classification'];
export const DATA_SOURCES: readonly DataSource[] = ['formula', ...PLANE_SETS, 'csv'];
export const REGULARIZERS: readonly PlaygroundState['reg'][] = ['none', 'l1', 'l2'];

type Parser = (raw: string) => unknown;

function num(min: number, max: number, integer = false): Parser {
  return (raw) => {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) return undefined;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      return undefined;
    }
    return v;
  };
}

function oneOf<T extends string>(values: readonly T[]): Parser {
  return (raw) => (values.includes(raw as T) ? raw : undefined);
}

const FIELDS: { readonly [K in keyof PlaygroundState]: [Parser, string] } = {
  mode: [oneOf(MODES), MODES.join(', ')],
  data: [oneOf(DATA_SOURCES), DATA_SOURCES.join(', ')],
  f: [
    (raw) => (raw.length > 0 && raw.length <= 500 ? raw : undefined),
    'a formula of 1–500 characters',
  ],
  a: [num(-1e6, 1e6), 'a number in [−1e6, 1e6]'],
  b: [num(-1e6, 1e6), 'a number in [−1e6, 1e6]'],
  n: [num(2, LIMITS.maxPoints, true), `an integer in [2, ${LIMITS.maxPoints}]`],
  noise: [num(0, 1e3), 'a number in [0, 1000]'],
  ratio: [num(10, 90, true), 'an integer percentage in [10, 90]'],
  depth: [num(0, LIMITS.maxDepth, true), `an integer in [0, ${LIMITS.maxDepth}]`],
  width: [num(1, LIMITS.maxWidth, true), `an integer in [1, ${LIMITS.maxWidth}]`],
  act: [oneOf(ACTIVATIONS), ACTIVATIONS.join(', ')],
  out: [oneOf(ACTIVATIONS), ACTIVATIONS.join(', ')],
  loss: [oneOf(LOSSES), LOSSES.join(', ')],
  opt: [oneOf(OPTIMIZERS), OPTIMIZERS.join(', ')],
  lr: [num(1e-8, 10), 'a number in [1e-8, 10]'],
  sched: [oneOf(SCHEDULES), SCHEDULES.join(', ')],
  batch: [
    (raw) => (raw === 'full' || raw === 'sgd' ? raw : num(1, LIMITS.maxPoints, true)(raw)),
    `'full', 'sgd' or an integer in [1, ${LIMITS.maxPoints}]`,
  ],
  epochs: [num(1, LIMITS.maxEpochs, true), `an integer in [1, ${LIMITS.maxEpochs}]`],
  seed: [num(0, 2 ** 31 - 1, true), 'an integer in [0, 2147483647]'],
  backend: [oneOf(BACKENDS), BACKENDS.join(', ')],
  norm: [(raw) => (raw === '1' ? true : raw === '0' ? false : undefined), '0 or 1'],
  reg: [oneOf(REGULARIZERS), REGULARIZERS.join(', ')],
  rate: [num(0, 10), 'a number in [0, 10]'],
};

/** The result of {@link parseState}. */
export interface ParsedState {
  readonly state: PlaygroundState;
  /** Empty when the URL state was accepted (or absent); else why it was rejected. */
  readonly errors: readonly string[];
}

/**
 * Reads a playground state from URL parameters. Missing fields take their defaults; any invalid
 * field (or unknown parameter, or a < b violated) rejects the whole state and keeps the defaults.
 *
 * @example
 * ```ts
 * parseState(new URLSearchParams('f=log(x)&a=0.5&b=3')).state.f; // 'log(x)'
 * parseState(new URLSearchParams('epochs=-1')).errors; // ['epochs must be an integer in [1, 20000], got "-1"']
 * ```
 */
export function parseState(params: URLSearchParams): ParsedState {
  try {
    return parseStateUnguarded(params);
  } catch (err) {
    // never reached by any known input; a link must still never break the playground
    return { state: DEFAULT_STATE, errors: [`the link could not be read (${String(err)})`] };
  }
}

function parseStateUnguarded(params: URLSearchParams): ParsedState {
  const errors: string[] = [];
  const out: Record<string, unknown> = { ...DEFAULT_STATE };
  for (const [name, raw] of params) {
    // own keys only: `constructor`, `toString`, `__proto__` are Object.prototype's, not fields
    if (!Object.hasOwn(FIELDS, name)) {
      errors.push(
        `unknown parameter ${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)}`,
      );
      continue;
    }
    const [parse, expectation] = FIELDS[name as keyof PlaygroundState];
    const v = parse(raw);
    if (v === undefined) {
      errors.push(
        `${name} must be ${expectation}, got ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)}`,
      );
    } else {
      out[name] = v;
    }
  }
  if (errors.length === 0 && !((out.a as number) < (out.b as number))) {
    errors.push(`the domain needs a < b, got a = ${out.a}, b = ${out.b}`);
  }
  if (errors.length === 0 && out.mode === 'classification' && out.data === 'formula') {
    errors.push(
      'classification needs classes: choose a 2-D set or a CSV file (data), not a formula',
    );
  }
  if (errors.length > 0) return { state: DEFAULT_STATE, errors };
  return { state: Object.freeze(out) as unknown as PlaygroundState, errors };
}

/**
 * Writes a state as URL parameters (only the fields that differ from the defaults, in a fixed
 * order), the inverse of {@link parseState}.
 *
 * @example
 * ```ts
 * serializeState({ ...DEFAULT_STATE, f: 'log(x)' }); // 'f=log%28x%29'
 * ```
 */
export function serializeState(state: PlaygroundState): string {
  const p = new URLSearchParams();
  for (const name of Object.keys(FIELDS) as (keyof PlaygroundState)[]) {
    const v = state[name];
    if (v === DEFAULT_STATE[name]) continue;
    p.set(name, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return p.toString();
}
