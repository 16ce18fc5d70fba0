import { initChain, initMlp, key, mlpSpec } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { type ChainModel, type MlpModel, predict } from '../model.js';
import { adam } from '../optimizers/index.js';
import { fit as fitModel } from '../trainer/index.js';
import { ExportError } from './errors.js';
import { fromSafetensors, toSafetensors } from './safetensors.js';

const x = Float64Array.from({ length: 32 }, (_, i) => 1 + i / 8);
const y = x.map((v) => 50 + 10 * Math.sin(v));

function trainedMlp(): MlpModel {
  const spec = mlpSpec([1, 6, 5, 1], { name: 'leakyRelu', slope: 0.1 }, 'identity');
  const net: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(3))) };
  return fitModel(net, { x, y }, { epochs: 10, optimizer: adam(0.01), normalize: true }).model;
}

/** Splits a safetensors file into its header length, header JSON text and data bytes. */
function parts(bytes: Uint8Array) {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  return { n, text, header: JSON.parse(text), data: bytes.subarray(8 + n) };
}

/** Rebuilds a file from a header object and data bytes (no padding). */
function build(header: unknown, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('toSafetensors / fromSafetensors round trip', () => {
  it('an MLP with normalisation and training record comes back bit for bit (F64)', () => {
    const model = trainedMlp();
    const back = fromSafetensors(toSafetensors(model)) as MlpModel;
    expect(back.kind).toBe('mlp');
    expect(back.spec).toEqual(model.spec);
    expect(back.params).toBeAllclose(model.params, { rtol: 0, atol: 0 });
    expect(back.normalization?.y?.mean).toBeAllclose(model.normalization!.y!.mean, {
      rtol: 0,
      atol: 0,
    });
    expect(back.training?.epochs).toBe(10);
    expect(predict(back, x)).toBeAllclose(predict(model, x), { rtol: 0, atol: 0 });
  });

  it('a chain comes back bit for bit, with its activations', () => {
    const model: ChainModel = {
      kind: 'chain',
      params: initChain(key(5), 3),
      activations: ['gelu', 'tanh', 'identity'],
    };
    const back = fromSafetensors(toSafetensors(model)) as ChainModel;
    expect(back.params.data).toBeAllclose(model.params.data, { rtol: 0, atol: 0 });
    expect(back.activations).toEqual([{ name: 'gelu', approximate: 'none' }, 'tanh', 'identity']);
  });

  it('F32 files hold the parameters rounded to float32 (relative error ≤ 2⁻²⁴)', () => {
    const model = trainedMlp();
    const back = fromSafetensors(toSafetensors(model, { dtype: 'F32' })) as MlpModel;
    expect(back.params).toBeAllclose(Float32Array.from(model.params), { rtol: 0, atol: 0 });
    expect(back.params).toBeAllclose(model.params, { rtol: 2 ** -24, atol: 0 });
  });
});

describe('toSafetensors bytes follow the format', () => {
  it('8-byte LE header length, space-padded JSON, data 8-byte aligned, offsets sorted and contiguous', () => {
    const spec = mlpSpec([2, 3, 1], 'tanh');
    const model: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(1))) };
    const bytes = toSafetensors(model);
    const { n, text, header, data } = parts(bytes);
    expect((8 + n) % 8).toBe(0);
    expect(text.trimEnd()).toBe(JSON.stringify(header));
    expect(/^ *$/.test(text.slice(JSON.stringify(header).length))).toBe(true);
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    expect(names).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(header['0.weight']).toEqual({ dtype: 'F64', shape: [3, 2], data_offsets: [0, 48] });
    expect(header['0.bias']).toEqual({ dtype: 'F64', shape: [3], data_offsets: [48, 72] });
    expect(header['2.weight']).toEqual({ dtype: 'F64', shape: [1, 3], data_offsets: [72, 96] });
    expect(header['2.bias']).toEqual({ dtype: 'F64', shape: [1], data_offsets: [96, 104] });
    expect(data.length).toBe(104);
    // 0.weight[1][0] is W[1][0] of the flat layout (W row-major out × in), little-endian float64
    const dv = new DataView(data.buffer, data.byteOffset);
    expect(dv.getFloat64(16, true)).toBe(model.params[2]);
    // every metadata value is a string, as the format requires
    for (const v of Object.values(header.__metadata__)) expect(typeof v).toBe('string');
    expect(JSON.parse(header.__metadata__['annlab.model'])).toEqual({
      kind: 'mlp',
      spec: { sizes: [2, 3, 1], activations: ['tanh', 'identity'] },
    });
  });
});

describe('fromSafetensors bad input', () => {
  const spec = mlpSpec([1, 2, 1], 'tanh');
  const model: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(2))) };
  const good = parts(toSafetensors(model));

  function expectPiece(bytes: Uint8Array, piece: string, message: RegExp) {
    let err: unknown;
    try {
      fromSafetensors(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExportError);
    expect((err as ExportError).piece).toBe(piece);
    expect((err as Error).message).toMatch(message);
  }

  it('a header length beyond the file', () => {
    const bytes = toSafetensors(model);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(bytes.length), true);
    expectPiece(bytes, 'header length', /fromSafetensors: header length \d+ reaches beyond/);
    expectPiece(new Uint8Array(5), 'header length', /needs 8 bytes/);
  });

  it('overlapping offsets', () => {
    const h = structuredClone(good.header);
    h['0.bias'].data_offsets = [8, 24];
    expectPiece(build(h, good.data), 'header["0.bias"].data_offsets', /overlap/);
  });

  it('unsorted offsets (end before begin)', () => {
    const h = structuredClone(good.header);
    h['0.bias'].data_offsets = [32, 16];
    expectPiece(
      build(h, good.data),
      'header["0.bias"].data_offsets',
      /unsorted: end 16 < begin 32/,
    );
  });

  it('offsets that do not reach the end of the data', () => {
    expectPiece(
      build(good.header, new Uint8Array(good.data.length + 8)),
      'data_offsets',
      /end at byte 56, but the data .* 64 bytes/,
    );
  });

  it('an unknown dtype, and a known but unsupported one', () => {
    const h = structuredClone(good.header);
    h['0.weight'].dtype = 'F128';
    expectPiece(build(h, good.data), 'header["0.weight"].dtype', /not a safetensors dtype.*F128/);
    h['0.weight'].dtype = 'I64';
    expectPiece(build(h, good.data), 'header["0.weight"].dtype', /must be F64 or F32.*I64/);
  });

  it('tensors that do not fit the spec: wrong shape, missing, extra', () => {
    const wide = mlpSpec([1, 3, 1], 'tanh');
    const other: MlpModel = {
      kind: 'mlp',
      spec: wide,
      params: Float64Array.from(initMlp(wide, key(2))),
    };
    const o = parts(toSafetensors(other));
    const h = structuredClone(o.header);
    h.__metadata__ = good.header.__metadata__; // claims [1, 2, 1]
    expectPiece(build(h, o.data), 'tensor "0.weight"', /shape \[3,1\], the spec needs \[2,1\]/);

    const missing = structuredClone(good.header);
    delete missing['2.bias'];
    expectPiece(build(missing, good.data.subarray(0, 48)), 'tensor "2.bias"', /is missing/);

    const extra = structuredClone(good.header);
    extra['4.weight'] = { dtype: 'F64', shape: [1], data_offsets: [56, 64] };
    expectPiece(build(extra, new Uint8Array(64)), 'tensor "4.weight"', /not part of the spec/);
  });

  it('a header that is not JSON, and metadata that is not annlab', () => {
    const bytes = build(good.header, good.data);
    bytes[8] = 0x7b + 1; // '|' instead of '{'
    expectPiece(bytes, 'header', /not UTF-8 JSON/);
    const h = structuredClone(good.header);
    h.__metadata__ = { format: 'pt' };
    expectPiece(build(h, good.data), '__metadata__.format', /must be "annlab-model"/);
  });

  it('a non-finite parameter', () => {
    const data = good.data.slice();
    new DataView(data.buffer).setFloat64(8, Number.NaN, true);
    expectPiece(build(good.header, data), 'tensor "0.weight"', /non-finite value NaN at element 1/);
  });
});
