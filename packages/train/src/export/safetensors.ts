/**
 * safetensors export and import (https://huggingface.co/docs/safetensors): an 8-byte little-endian
 * header length N, N bytes of JSON header (padded with spaces so the data starts 8-byte aligned),
 * then the tensors' bytes back to back.
 *
 * Tensors are named as PyTorch names the state dict of `nn.Sequential(Linear, act, Linear, act, …)`:
 * layer i's weight (out × in, as `nn.Linear.weight`) is `"{2i}.weight"`, its bias `"{2i}.bias"` (the
 * odd indices are the parameter-free activation modules). The width-one chain is `depth` layers of
 * `nn.Linear(1, 1)`. `__metadata__` holds the annlab checkpoint without its parameters (kind, spec or
 * depth and activations, normalisation, training record) as JSON strings, so `fromSafetensors` gives
 * back the model `saveModel` would have saved.
 */
import { formatValue } from '@annlab/core/internal';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, loadModel, saveModel } from '../checkpoint.js';
import { CheckpointError } from '../errors.js';
import type { Model } from '../model.js';
import { ExportError } from './errors.js';
import { denseView } from './layers.js';

/** The tensor dtypes {@link toSafetensors} writes and {@link fromSafetensors} reads. */
export type SafetensorsDtype = 'F64' | 'F32';

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4 };
/** Every dtype the format defines (others are not safetensors at all). */
const KNOWN_DTYPES = new Set([
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'F64',
  'I64',
  'U64',
]);

/** Options of {@link toSafetensors}. */
export interface SafetensorsOptions {
  /** Tensor dtype: `'F64'` (default, bit-exact round trip) or `'F32'` (PyTorch's default dtype). */
  readonly dtype?: SafetensorsDtype;
}

const utf8 = new TextEncoder();

/** The tensor names of layer i, as `nn.Sequential` names them. */
export function safetensorsNames(layer: number): { weight: string; bias: string } {
  return { weight: `${2 * layer}.weight`, bias: `${2 * layer}.bias` };
}

function metadataOf(model: Model): Record<string, string> {
  const doc = JSON.parse(saveModel(model)) as { model: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  const { params: _params, ...spec } = doc.model;
  return {
    format: CHECKPOINT_FORMAT,
    'annlab.version': String(CHECKPOINT_VERSION),
    'annlab.model': JSON.stringify(spec),
    'annlab.normalization': JSON.stringify(doc.normalization ?? null),
    'annlab.training': JSON.stringify(doc.training ?? null),
  };
}

/**
 * Serialises a model's parameters as safetensors bytes, named and laid out as PyTorch's
 * `nn.Sequential` of `nn.Linear` layers (`0.weight`, `0.bias`, `2.weight`, …), with the annlab spec
 * and normalisation in `__metadata__`. See the train README for loading it in PyTorch.
 *
 * @example
 * ```ts
 * await writeFileAtomic('model.safetensors', toSafetensors(result.model)); // from '@annlab/train/node'
 * const again = fromSafetensors(readFileSync('model.safetensors')); // same predictions
 * ```
 */
export function toSafetensors(model: Model, options: SafetensorsOptions = {}): Uint8Array {
  const fn = 'toSafetensors';
  const dtype = options.dtype ?? 'F64';
  if (dtype !== 'F64' && dtype !== 'F32') {
    throw new ExportError(
      `${fn}: options.dtype must be 'F64' or 'F32', got ${formatValue(dtype)}`,
      'options.dtype',
    );
  }
  const view = denseView(fn, model);
  const size = DTYPE_BYTES[dtype];
  const header: Record<string, unknown> = { __metadata__: metadataOf(model) };
  const chunks: Array<{ data: Float64Array }> = [];
  let offset = 0;
  view.layers.forEach((layer, i) => {
    const names = safetensorsNames(i);
    for (const [name, data, shape] of [
      [names.weight, layer.weight, [layer.outSize, layer.inSize]],
      [names.bias, layer.bias, [layer.outSize]],
    ] as const) {
      header[name] = { dtype, shape, data_offsets: [offset, offset + data.length * size] };
      offset += data.length * size;
      chunks.push({ data });
    }
  });
  let json = JSON.stringify(header);
  // Pad with spaces so the byte buffer starts at a multiple of 8 (the format's alignment rule).
  const raw = utf8.encode(json);
  const padded = Math.ceil((8 + raw.length) / 8) * 8 - 8;
  json += ' '.repeat(padded - raw.length);
  const headerBytes = utf8.encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let o = 8 + headerBytes.length;
  for (const { data } of chunks) {
    for (let k = 0; k < data.length; k++, o += size) {
      if (dtype === 'F64') dv.setFloat64(o, data[k]!, true);
      else dv.setFloat32(o, data[k]!, true);
    }
  }
  return out;
}

interface TensorEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

function bad(piece: string, message: string): never {
  throw new ExportError(`fromSafetensors: ${piece} ${message}`, piece);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseEntry(name: string, v: unknown): TensorEntry {
  const piece = `header[${JSON.stringify(name)}]`;
  if (!isObject(v)) bad(piece, `must be { dtype, shape, data_offsets }, got ${formatValue(v)}`);
  const dtype = v.dtype;
  if (typeof dtype !== 'string' || !KNOWN_DTYPES.has(dtype)) {
    bad(`${piece}.dtype`, `is not a safetensors dtype, got ${formatValue(dtype)}`);
  }
  if (dtype !== 'F64' && dtype !== 'F32') {
    bad(`${piece}.dtype`, `must be F64 or F32 (annlab's float parameters), got ${dtype}`);
  }
  const shape = v.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    bad(`${piece}.shape`, `must be an array of integers ≥ 0, got ${formatValue(shape)}`);
  }
  const offs = v.data_offsets;
  if (
    !Array.isArray(offs) ||
    offs.length !== 2 ||
    !offs.every((d) => Number.isSafeInteger(d) && d >= 0)
  ) {
    bad(`${piece}.data_offsets`, `must be [begin, end] integers ≥ 0, got ${formatValue(offs)}`);
  }
  const [begin, end] = offs as [number, number];
  if (end < begin) bad(`${piece}.data_offsets`, `are unsorted: end ${end} < begin ${begin}`);
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  const bytes = count * DTYPE_BYTES[dtype as SafetensorsDtype];
  if (end - begin !== bytes) {
    bad(
      `${piece}.data_offsets`,
      `span ${end - begin} bytes, but shape ${JSON.stringify(shape)} of ${dtype} needs ${bytes}`,
    );
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end };
}

function parseJsonField(piece: string, text: unknown): unknown {
  if (typeof text !== 'string') bad(piece, `must be a JSON string, got ${formatValue(text)}`);
  try {
    return JSON.parse(text as string);
  } catch (e) {
    return bad(piece, `is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Reads a model written by {@link toSafetensors} (or by PyTorch's `safetensors.torch.save_file` on a
 * state dict with the same names, given the annlab `__metadata__`). Checks the header against the
 * format's rules and the tensors against the spec in `__metadata__`.
 *
 * @throws ExportError naming the offending piece: a header length beyond the file, a header that is
 * not JSON, an unknown or unsupported dtype, unsorted, overlapping or out-of-file data offsets,
 * missing, extra or wrongly shaped tensors, or non-finite values.
 * @example
 * ```ts
 * const model = fromSafetensors(readFileSync('model.safetensors'));
 * predict(model, [0.5]);
 * ```
 */
export function fromSafetensors(bytes: Uint8Array): Model {
  if (!(bytes instanceof Uint8Array)) {
    bad('bytes', `must be a Uint8Array (a Node Buffer is one), got ${formatValue(bytes)}`);
  }
  if (bytes.length < 8) bad('header length', `needs 8 bytes, the file has ${bytes.length}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) {
    bad('header length', `${n} reaches beyond the file (${bytes.length - 8} bytes after it)`);
  }
  const headerEnd = 8 + Number(n);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, headerEnd)),
    );
  } catch (e) {
    bad('header', `is not UTF-8 JSON: ${(e as Error).message}`);
  }
  if (!isObject(header)) bad('header', `must be a JSON object, got ${formatValue(header)}`);
  const dataLength = bytes.length - headerEnd;
  const entries = Object.entries(header)
    .filter(([k]) => k !== '__metadata__')
    .map(([k, v]) => parseEntry(k, v));
  // The byte buffer must be covered exactly: sorted by begin, each tensor starts where the last ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    const piece = `header[${JSON.stringify(e.name)}].data_offsets`;
    if (e.begin < at)
      bad(piece, `[${e.begin}, ${e.end}] overlap the tensor before (ending at ${at})`);
    if (e.begin > at) bad(piece, `[${e.begin}, ${e.end}] leave a hole after byte ${at}`);
    at = e.end;
  }
  if (at !== dataLength) {
    bad('data_offsets', `end at byte ${at}, but the data after the header has ${dataLength} bytes`);
  }

  const meta = header.__metadata__;
  if (!isObject(meta) || meta.format !== CHECKPOINT_FORMAT) {
    bad(
      '__metadata__.format',
      `must be "${CHECKPOINT_FORMAT}" (written by toSafetensors), got ${formatValue(isObject(meta) ? meta.format : meta)}`,
    );
  }
  const spec = parseJsonField('__metadata__["annlab.model"]', meta['annlab.model']);
  if (!isObject(spec))
    bad('__metadata__["annlab.model"]', `must be an object, got ${formatValue(spec)}`);
  // The layer shapes the spec implies.
  let shapes: Array<[number, number]>;
  if (spec.kind === 'chain' && Number.isSafeInteger(spec.depth) && (spec.depth as number) >= 1) {
    shapes = Array.from({ length: spec.depth as number }, () => [1, 1]);
  } else if (spec.kind === 'mlp' && isObject(spec.spec) && Array.isArray(spec.spec.sizes)) {
    const sizes = spec.spec.sizes as number[];
    shapes = sizes.slice(1).map((out, i) => [out, sizes[i]!]);
  } else {
    return bad(
      '__metadata__["annlab.model"]',
      `must describe a chain { kind, depth } or an MLP { kind, spec: { sizes } }, got ${formatValue(spec)}`,
    );
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const read = (e: TensorEntry, into: number[]) => {
    const size = DTYPE_BYTES[e.dtype];
    for (let o = headerEnd + e.begin; o < headerEnd + e.end; o += size) {
      const v = e.dtype === 'F64' ? dv.getFloat64(o, true) : dv.getFloat32(o, true);
      if (!Number.isFinite(v)) {
        bad(
          `tensor ${JSON.stringify(e.name)}`,
          `holds a non-finite value ${v} at element ${into.length}`,
        );
      }
      into.push(v);
    }
  };
  const weights: number[] = [];
  const biases: number[] = [];
  const expected = new Set<string>();
  shapes.forEach(([out, inp], i) => {
    const names = safetensorsNames(i);
    for (const [name, shape] of [
      [names.weight, [out, inp]],
      [names.bias, [out]],
    ] as const) {
      expected.add(name);
      const e = byName.get(name);
      if (!e)
        bad(`tensor ${JSON.stringify(name)}`, `is missing (the spec has ${shapes.length} layers)`);
      if (e.shape.length !== shape.length || e.shape.some((d, k) => d !== shape[k])) {
        bad(
          `tensor ${JSON.stringify(name)}`,
          `has shape ${JSON.stringify(e.shape)}, the spec needs ${JSON.stringify(shape)}`,
        );
      }
    }
  });
  for (const e of entries) {
    if (!expected.has(e.name))
      bad(`tensor ${JSON.stringify(e.name)}`, `is not part of the spec (${shapes.length} layers)`);
  }
  // Flat annlab layout: chain = [w_1..w_N, b_1..b_N]; MLP = per layer W then b.
  const params: number[] = [];
  shapes.forEach((_, i) => {
    const names = safetensorsNames(i);
    if (spec.kind === 'chain') {
      read(byName.get(names.weight)!, weights);
      read(byName.get(names.bias)!, biases);
    } else {
      read(byName.get(names.weight)!, params);
      read(byName.get(names.bias)!, params);
    }
  });
  if (spec.kind === 'chain') params.push(...weights, ...biases);

  const doc = {
    format: CHECKPOINT_FORMAT,
    version: Number(meta['annlab.version']),
    model: { ...spec, params },
    normalization: parseJsonField(
      '__metadata__["annlab.normalization"]',
      meta['annlab.normalization'] ?? 'null',
    ),
    training: parseJsonField('__metadata__["annlab.training"]', meta['annlab.training'] ?? 'null'),
  };
  try {
    return loadModel(JSON.stringify(doc));
  } catch (e) {
    if (e instanceof CheckpointError) {
      const piece = e.path
        .replace(/^\$\.model/, '__metadata__["annlab.model"]')
        .replace(/^\$\./, '__metadata__.');
      throw new ExportError(
        `fromSafetensors: ${piece}: ${e.message.replace(/^loadModel: /, '')}`,
        piece,
      );
    }
    throw e;
  }
}
