/**
 * Save and load trained models as versioned JSON:
 *
 * ```json
 * { "format": "annlab-model", "version": 1,
 *   "model": { "kind": "chain", "depth": 3, "activations": ["sigmoid", "sigmoid", "identity"],
 *              "params": [w1, w2, w3, b1, b2, b3] },
 *   "normalization": { "x": { "mean": [..], "std": [..] }, "y": null } | null,
 *   (a min-max scaling adds "method": "minmax", "range": [lo, hi]; z = (v − mean) / std either way)
 *   "training": { "optimizer": { "name": "sgd", … }, "epochs": 500, … } | null }
 * ```
 * An MLP stores `"model": { "kind": "mlp", "spec": { "sizes": [..], "activations": [..] },
 * "params": [..] }`; a classifier also `"classes": ["cat", "dog", …]`, the label of each class index
 * (optional, so files without it load as before). Numbers are written with JavaScript's shortest round-trip form, so float64
 * parameters load back bit for bit.
 *
 * Compatibility: min-max target scaling added two optional fields to a scaling and kept version 1.
 * A file without `method` is a standardisation (every file written before); an older reader of a
 * file with min-max scaling ignores the two fields and still predicts correctly, because the
 * scaling is fully described by `mean` and `std`.
 */
import { activation, chainParams, type MlpSpec, mlpLayout } from '@annlab/core';
import { formatValue } from '@annlab/core/internal';
import { CheckpointError } from './errors.js';
import { chainActivations, checkModel, type Model, predict, type TrainingRecord } from './model.js';
import type { Normalization, Standardizer } from './normalize.js';

/** The `format` field of every checkpoint. */
export const CHECKPOINT_FORMAT = 'annlab-model';
/** The version this library writes and reads. */
export const CHECKPOINT_VERSION = 1;

function stdToJson(s: Standardizer | undefined) {
  if (!s) return null;
  const base = { mean: Array.from(s.mean), std: Array.from(s.std) };
  // A standardisation is written exactly as before min-max scaling existed.
  return s.method === 'minmax' && s.range
    ? { ...base, method: 'minmax', range: [...s.range] }
    : base;
}

/**
 * Serialises a model (spec, parameters, normalisation, training record) to a JSON string.
 *
 * @example
 * ```ts
 * const json = saveModel(result.model);
 * const again = loadModel(json); // same predictions
 * ```
 */
export function saveModel(model: Model): string {
  const m = checkModel('saveModel', model);
  const body =
    m.kind === 'chain'
      ? {
          kind: 'chain',
          depth: m.params.depth,
          activations: chainActivations('saveModel', m).map((a) => a.spec),
          params: Array.from(m.params.data),
        }
      : {
          kind: 'mlp',
          spec: { sizes: [...m.spec.sizes], activations: [...m.spec.activations] },
          params: Array.from(m.params),
        };
  const norm = m.normalization;
  return JSON.stringify({
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    model: body,
    normalization: norm ? { x: stdToJson(norm.x), y: stdToJson(norm.y) } : null,
    training: m.training ?? null,
    // a classifier's label of each class index (written only when set)
    ...(m.kind === 'mlp' && m.classes ? { classes: [...m.classes] } : {}),
  });
}

function fail(path: string, expectation: string, value: unknown): never {
  throw new CheckpointError(
    `loadModel: ${path} must be ${expectation}, got ${formatValue(value)}`,
    path,
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function finiteArray(path: string, v: unknown, length?: number): Float64Array {
  if (!Array.isArray(v)) fail(path, 'an array of finite numbers', v);
  if (length !== undefined && v.length !== length) {
    fail(path, `an array of ${length} numbers (truncated or wrong spec?)`, v);
  }
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${i}]`, 'a finite number', x);
    out[i] = x;
  }
  return out;
}

/** Smallest and largest scale a stored normalisation may have (outside it, z overflows). */
const MIN_STD = 1e-150;
const MAX_STD = 1e150;
/** The largest checkpoint text `loadModel` parses, in characters (64 MiB); see `maxChars`. */
export const MAX_CHECKPOINT_CHARS = 64 * 1024 * 1024;

const SHUFFLES = ['epoch', 'fixed', 'none', 'custom'];

/** Validates the optional `training` record field by field (extra fields are kept as they are). */
function trainingRecord(v: unknown): TrainingRecord | undefined {
  if (v === null || v === undefined) return undefined;
  if (!isObject(v)) fail('$.training', 'an object or null', v);
  const p = '$.training';
  const opt = v.optimizer;
  if (!isObject(opt) || typeof opt.name !== 'string') {
    fail(`${p}.optimizer`, 'an object with a string "name"', opt);
  }
  for (const f of ['epochs', 'updates'] as const) {
    const n = v[f];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      fail(`${p}.${f}`, 'an integer ≥ 0', n);
    }
  }
  const b = v.batch;
  if (
    b !== undefined &&
    b !== 'full' &&
    b !== 'sgd' &&
    !(typeof b === 'number' && Number.isSafeInteger(b) && b >= 1)
  ) {
    fail(`${p}.batch`, '"full", "sgd" or an integer ≥ 1', b);
  }
  if (v.shuffle !== undefined && !SHUFFLES.includes(v.shuffle as string)) {
    fail(`${p}.shuffle`, `one of ${SHUFFLES.map((x) => `"${x}"`).join(', ')}`, v.shuffle);
  }
  if (v.dropLast !== undefined && typeof v.dropLast !== 'boolean') {
    fail(`${p}.dropLast`, 'true or false', v.dropLast);
  }
  for (const f of ['loss', 'stopReason', 'gradientMethod', 'dtype', 'backend'] as const) {
    if (v[f] !== undefined && typeof v[f] !== 'string') fail(`${p}.${f}`, 'a string', v[f]);
  }
  const k = v.key;
  if (
    k !== undefined &&
    !(
      Array.isArray(k) &&
      k.length === 2 &&
      k.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w < 2 ** 32)
    )
  ) {
    fail(`${p}.key`, 'two 32-bit unsigned integers', k);
  }
  // JSON has no NaN: a run that never finished an epoch stores null
  if (v.finalLoss !== undefined && v.finalLoss !== null && typeof v.finalLoss !== 'number') {
    fail(`${p}.finalLoss`, 'a number or null', v.finalLoss);
  }
  return v as unknown as TrainingRecord;
}

/**
 * The optional `classes` field: distinct strings, one per output (two for a one-output binary
 * classifier). Absent in regression models and in files written before it existed.
 */
function classLabels(v: unknown, outputs: number): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const want = outputs === 1 ? 2 : outputs;
  if (
    outputs === 0 ||
    !Array.isArray(v) ||
    v.length !== want ||
    !v.every((c) => typeof c === 'string') ||
    new Set(v).size !== v.length
  ) {
    fail(
      '$.classes',
      outputs === 0
        ? 'absent for a chain model'
        : `an array of ${want} distinct strings (one label per class)`,
      v,
    );
  }
  return [...v] as string[];
}

/** Inputs at which `loadModel` evaluates a model once, to refuse parameters that overflow. */
const PROBE_INPUTS = [-2, -1, -0.5, 0, 0.5, 1, 2];

function standardizer(path: string, v: unknown, cols: number): Standardizer | undefined {
  if (v === null || v === undefined) return undefined;
  if (!isObject(v)) fail(path, '{ mean, std } or null', v);
  const mean = finiteArray(`${path}.mean`, v.mean, cols);
  const std = finiteArray(`${path}.std`, v.std, cols);
  std.forEach((s, i) => {
    // a subnormal std such as 1e-320 makes (x − mean) / std overflow: refuse it here, by path
    if (!(s >= MIN_STD && s <= MAX_STD)) {
      fail(`${path}.std[${i}]`, `a number in [${MIN_STD}, ${MAX_STD}]`, s);
    }
  });
  if (v.method === undefined || v.method === 'standard') return { mean, std };
  if (v.method !== 'minmax') fail(`${path}.method`, '"standard", "minmax" or absent', v.method);
  const r = finiteArray(`${path}.range`, v.range, 2);
  if (!(r[0]! < r[1]!)) fail(`${path}.range`, '[lo, hi] with lo < hi', v.range);
  return { mean, std, method: 'minmax', range: [r[0]!, r[1]!] };
}

/**
 * Parses and validates a checkpoint written by {@link saveModel}. Rejects malformed JSON, other
 * formats, other versions, missing or wrong fields, truncated parameter arrays and non-finite
 * numbers with a {@link CheckpointError} naming the JSON path (`$.model.params[4]`).
 *
 * @example
 * ```ts
 * const model = loadModel(readFileSync('model.json', 'utf8'));
 * predict(model, [1, 2, 3]);
 * ```
 */
export function loadModel(json: string, options: { maxChars?: number } = {}): Model {
  if (typeof json !== 'string') fail('$', 'a JSON string', json);
  const maxChars = options.maxChars ?? MAX_CHECKPOINT_CHARS;
  if (json.length > maxChars) {
    throw new CheckpointError(
      `loadModel: the text has ${json.length} characters, over the limit of ${maxChars} (options.maxChars)`,
      '$',
    );
  }
  // a UTF-8 byte-order mark (Windows editors add one) is not part of the JSON
  const text = json.charCodeAt(0) === 0xfeff ? json.slice(1) : json;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(
      `loadModel: the text is not valid JSON (truncated?): ${(e as Error).message}`,
      '$',
    );
  }
  if (!isObject(doc)) fail('$', 'a checkpoint object', doc);
  if (doc.format !== CHECKPOINT_FORMAT) fail('$.format', `"${CHECKPOINT_FORMAT}"`, doc.format);
  if (doc.version !== CHECKPOINT_VERSION) {
    fail('$.version', `${CHECKPOINT_VERSION} (the version this library reads)`, doc.version);
  }
  const mj = doc.model;
  if (!isObject(mj)) fail('$.model', 'an object', mj);
  let model: Model;
  let inputs = 1;
  let outputs = 1;
  if (mj.kind === 'chain') {
    const depth = mj.depth;
    if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1) {
      fail('$.model.depth', 'an integer ≥ 1', depth);
    }
    if (!Array.isArray(mj.activations) || mj.activations.length !== depth) {
      fail('$.model.activations', `an array of ${depth} activations`, mj.activations);
    }
    const specs = mj.activations.map((s, i) => {
      try {
        return activation(s).spec;
      } catch (e) {
        return fail(`$.model.activations[${i}]`, `a valid activation (${(e as Error).message})`, s);
      }
    });
    const data = finiteArray('$.model.params', mj.params, 2 * depth);
    model = {
      kind: 'chain',
      params: chainParams(data.subarray(0, depth), data.subarray(depth)),
      activations: specs,
    };
  } else if (mj.kind === 'mlp') {
    const spec = mj.spec as MlpSpec;
    let size: number;
    try {
      size = mlpLayout(spec).size;
    } catch (e) {
      return fail('$.model.spec', `a valid MLP spec (${(e as Error).message})`, spec);
    }
    const params = finiteArray('$.model.params', mj.params, size);
    model = {
      kind: 'mlp',
      spec: { sizes: [...spec.sizes], activations: [...spec.activations] },
      params,
    };
    inputs = spec.sizes[0]!;
    outputs = spec.sizes[spec.sizes.length - 1]!;
  } else {
    return fail('$.model.kind', '"chain" or "mlp"', mj.kind);
  }
  let normalization: Normalization | undefined;
  if (doc.normalization !== null && doc.normalization !== undefined) {
    const n = doc.normalization;
    if (!isObject(n)) fail('$.normalization', '{ x, y } or null', n);
    const x = standardizer('$.normalization.x', n.x, inputs);
    const y = standardizer('$.normalization.y', n.y, outputs);
    normalization = { ...(x ? { x } : {}), ...(y ? { y } : {}) };
  }
  const training = trainingRecord(doc.training);
  const classes = classLabels(doc.classes, model.kind === 'mlp' ? outputs : 0);
  const loaded = {
    ...model,
    ...(classes ? { classes } : {}),
    ...(normalization ? { normalization } : {}),
    ...(training ? { training } : {}),
  } as Model;
  // one forward pass at a few inputs: parameters that overflow there are refused by path
  const probe = new Float64Array(PROBE_INPUTS.length * inputs);
  for (const [i, x] of PROBE_INPUTS.entries()) probe.fill(x, i * inputs, (i + 1) * inputs);
  try {
    predict(
      loaded,
      inputs === 1 ? probe : { data: probe, rows: PROBE_INPUTS.length, cols: inputs },
    );
  } catch (e) {
    throw new CheckpointError(
      `loadModel: $.model.params must give finite outputs, but ${(e as Error).message}`,
      '$.model.params',
    );
  }
  return loaded;
}
