/**
 * Trainer snapshots: everything needed to continue training bit-identically (the model, the live
 * parameters, the optimizer state, the position in the shuffle stream, the history and the
 * early-stopping state). A snapshot is a plain object holding typed arrays; {@link snapshotToJSON}
 * and {@link snapshotFromJSON} turn it into text and back without losing a bit (typed arrays become
 * `{ "f64": [...] }`, and NaN, ±Infinity and −0 are written as strings).
 */
import {
  type ActivationSpec,
  type LossName,
  type MlpDtype,
  type MlpSpec,
  mlpLayout,
} from '@annlab/core';
import { formatValue } from '@annlab/core/internal';
import type { BatchMode, ShuffleMode } from '../batches.js';
import { SnapshotError } from '../errors.js';
import type { Normalization } from '../normalize.js';
import type { OptimizerConfig, OptimizerState } from '../optimizers/index.js';
import type { InputScaling, StopReason, TargetScaling } from './types.js';

/** The `format` field of every trainer snapshot. */
export const SNAPSHOT_FORMAT = 'annlab-trainer';
/** The snapshot version this library writes and reads. */
export const SNAPSHOT_VERSION = 1;

/** The model of a snapshot, without its parameters (they are `params`). */
export type SnapshotModel =
  | {
      readonly kind: 'chain';
      readonly depth: number;
      readonly activations: readonly ActivationSpec[];
      readonly normalization: Normalization | null;
    }
  | { readonly kind: 'mlp'; readonly spec: MlpSpec; readonly normalization: Normalization | null };

/** The resolved, serialisable options of the run. */
export interface SnapshotOptions {
  readonly epochs: number;
  /** Samples in the data (training plus a split-off validation part). */
  readonly samples: number;
  readonly batch: BatchMode;
  /** `'custom'`: a shuffle function, which `restoreTrainer` must be given again. */
  readonly shuffle: ShuffleMode | 'custom';
  readonly dropLast: boolean;
  readonly key: readonly [number, number];
  readonly loss: LossName;
  readonly gradientMethod: string;
  readonly normalize: { readonly x: InputScaling; readonly y: TargetScaling };
  /** A fraction, or the validation set as flat row-major arrays. */
  readonly validation:
    | { readonly fraction: number }
    | { readonly x: Float64Array; readonly y: Float64Array }
    | null;
  readonly earlyStopping: {
    readonly patience: number;
    readonly minDelta: number;
    readonly restoreBest: boolean;
  } | null;
  readonly recordGradNorms: boolean;
  /** L1 and L2 penalty rates (absent: 0). */
  readonly l1?: number;
  readonly l2?: number;
  readonly progressEvery: number;
  readonly dtype: MlpDtype;
}

/** An optimizer state: its step count, its Float64Array buffers, and nested states (`chain`). */
export interface OptimizerStateSnapshot {
  readonly count: number;
  readonly buffers: { readonly [name: string]: Float64Array };
  readonly states?: readonly OptimizerStateSnapshot[];
}

/** A checkpoint of a trainer; see `Trainer.snapshot` and {@link restoreTrainer}. */
export interface TrainerSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SNAPSHOT_VERSION;
  readonly model: SnapshotModel;
  /** The live parameters. */
  readonly params: Float64Array;
  readonly options: SnapshotOptions;
  readonly optimizer: { readonly config: OptimizerConfig; readonly state: OptimizerStateSnapshot };
  readonly position: {
    /** Epochs completed. */
    readonly epoch: number;
    /** Batches done in the current epoch. */
    readonly batch: number;
    readonly updates: number;
    /** Loss sum of the current epoch so far. */
    readonly sum: number;
    readonly normSums: Float64Array | null;
    readonly elapsedMs: number;
  };
  /** Parameters at the start of the current epoch (the divergence guard's copy). */
  readonly lastGood: Float64Array;
  readonly earlyStopping: {
    readonly bestLoss: number;
    readonly bestEpoch: number;
    readonly sinceBest: number;
    readonly best: Float64Array | null;
  };
  readonly history: {
    readonly loss: Float64Array;
    readonly valLoss: Float64Array;
    readonly time: Float64Array;
    readonly updates: Float64Array;
    readonly gradNorms: readonly Float64Array[];
  };
  readonly stopReason: StopReason | null;
}

/** Copies an optimizer state's count and Float64Array buffers (recursively for `states`). */
export function captureOptimizerState(s: OptimizerState): OptimizerStateSnapshot {
  const buffers: Record<string, Float64Array> = {};
  let states: OptimizerStateSnapshot[] | undefined;
  for (const [name, v] of Object.entries(s)) {
    if (v instanceof Float64Array) buffers[name] = v.slice();
    else if (name === 'states' && Array.isArray(v)) {
      states = v.map((c) => captureOptimizerState(c as OptimizerState));
    }
  }
  return { count: s.count, buffers, ...(states ? { states } : {}) };
}

/** Writes a captured state into a fresh state of the same optimizer, checking every shape. */
export function loadOptimizerState(
  fn: string,
  path: string,
  target: OptimizerState,
  src: OptimizerStateSnapshot,
): void {
  if (src === null || typeof src !== 'object') fail(fn, path, 'an optimizer state', src);
  if (!Number.isInteger(src.count) || src.count < 0) {
    fail(fn, `${path}.count`, 'an integer ≥ 0', src.count);
  }
  target.count = src.count;
  const rec = target as unknown as Record<string, unknown>;
  for (const [name, v] of Object.entries(rec)) {
    if (v instanceof Float64Array) {
      const b = src.buffers?.[name];
      if (!(b instanceof Float64Array) || b.length !== v.length) {
        fail(fn, `${path}.buffers.${name}`, `a Float64Array(${v.length})`, b);
      }
      v.set(b);
    } else if (name === 'states' && Array.isArray(v)) {
      if (!Array.isArray(src.states) || src.states.length !== v.length) {
        fail(fn, `${path}.states`, `an array of ${v.length} states`, src.states);
      }
      v.forEach((c, i) => {
        loadOptimizerState(fn, `${path}.states[${i}]`, c as OptimizerState, src.states![i]!);
      });
    }
  }
}

/** Throws a {@link SnapshotError} naming the JSON path. */
export function fail(fn: string, path: string, expectation: string, value: unknown): never {
  throw new SnapshotError(`${fn}: ${path} must be ${expectation}, got ${formatValue(value)}`, path);
}

/** Checks a Float64Array field of the snapshot. */
export function f64(fn: string, path: string, v: unknown, length?: number): Float64Array {
  if (!(v instanceof Float64Array) || (length !== undefined && v.length !== length)) {
    fail(fn, path, `a Float64Array${length !== undefined ? `(${length})` : ''}`, v);
  }
  return v;
}

/** The number of parameters of a snapshot's model, checking the model. */
export function snapshotParamCount(fn: string, m: SnapshotModel): number {
  if (m === null || typeof m !== 'object') fail(fn, '$.model', 'a model description', m);
  if (m.kind === 'chain') {
    if (!Number.isInteger(m.depth) || m.depth < 1)
      fail(fn, '$.model.depth', 'an integer ≥ 1', m.depth);
    if (!Array.isArray(m.activations) || m.activations.length !== m.depth) {
      fail(fn, '$.model.activations', `an array of ${m.depth} activations`, m.activations);
    }
    return 2 * m.depth;
  }
  if (m.kind === 'mlp') {
    try {
      return mlpLayout(m.spec).size;
    } catch (e) {
      return fail(fn, '$.model.spec', `a valid MLP spec (${(e as Error).message})`, m.spec);
    }
  }
  return fail(fn, '$.model.kind', "'chain' or 'mlp'", (m as { kind?: unknown }).kind);
}

const TAG = 'f64';
const NUM = 'num';

function encodeNumber(v: number): number | string {
  if (Number.isFinite(v) && !Object.is(v, -0)) return v;
  return Object.is(v, -0) ? '-0' : String(v);
}

function decodeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === '-0') return -0;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new SnapshotError(`snapshotFromJSON: ${formatValue(v)} is not a number`, '$');
}

/**
 * A snapshot as JSON text. Every number survives the round trip bit for bit.
 * @example
 * ```ts
 * // writeFileAtomic from '@annlab/train/node': a temporary file, then a rename
 * await writeFileAtomic('run.json', snapshotToJSON(trainer.snapshot()));
 * const trainer2 = restoreTrainer(snapshotFromJSON(readFileSync('run.json', 'utf8')), data);
 * ```
 */
export function snapshotToJSON(snapshot: TrainerSnapshot): string {
  return JSON.stringify(snapshot, (_k, v: unknown) => {
    if (v instanceof Float64Array) return { [TAG]: Array.from(v, encodeNumber) };
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) {
      return { [NUM]: encodeNumber(v) };
    }
    return v;
  });
}

/**
 * The snapshot of {@link snapshotToJSON}'s text. Malformed text throws a {@link SnapshotError};
 * the snapshot's fields are checked by `restoreTrainer`.
 * @example `const s = snapshotFromJSON(text);`
 */
export function snapshotFromJSON(text: string): TrainerSnapshot {
  if (typeof text !== 'string') fail('snapshotFromJSON', '$', 'a JSON string', text);
  try {
    return JSON.parse(text, (_k, v: unknown) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o);
        if (keys.length === 1 && keys[0] === TAG && Array.isArray(o[TAG])) {
          return Float64Array.from(o[TAG] as unknown[], decodeNumber);
        }
        if (keys.length === 1 && keys[0] === NUM) return decodeNumber(o[NUM]);
      }
      return v;
    }) as TrainerSnapshot;
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw new SnapshotError(
      `snapshotFromJSON: the text is not valid JSON (truncated?): ${(e as Error).message}`,
      '$',
    );
  }
}
