/**
 * Helpers shared by the kernels: uniform packing, WGSL number literals, argument checks.
 */
import { ShapeError } from '@annlab/core';
import { assertInteger, formatValue, invalidArgument, isKey } from '@annlab/core/internal';

/** A uniform field: a u32 or an f32, packed in order as 4-byte words. */
export type UniformField = readonly ['u32' | 'f32', number];

/** Packs fields into 4-byte words (WGSL struct of u32/f32 members, 16-byte padded). */
export function packUniform(fields: readonly UniformField[]): Uint32Array<ArrayBuffer> {
  const words = Math.max(4, Math.ceil(fields.length / 4) * 4);
  const buf = new ArrayBuffer(words * 4);
  const u = new Uint32Array(buf);
  const f = new Float32Array(buf);
  fields.forEach(([kind, v], i) => {
    if (kind === 'u32') u[i] = v >>> 0;
    else f[i] = v;
  });
  return u;
}

/** A WGSL f32 literal for a finite number (throws on values float32 cannot hold). */
export function wgslF32(fn: string, arg: string, v: number): string {
  if (!Number.isFinite(v) || Math.abs(v) > 3.4028234663852886e38) {
    throw invalidArgument(fn, arg, v, 'a finite float32 number');
  }
  const f = Math.fround(v);
  const s = String(f);
  return /[.eE]/.test(s) ? `${s}f` : `${s}.0f`;
}

/** WGSL helpers every elementwise kernel may use: a NaN test that fast-math cannot remove. */
export const WGSL_PRELUDE = /* wgsl */ `
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
`;

/** Throws unless `values.length === expected`. */
export function assertLength(
  fn: string,
  arg: string,
  values: ArrayLike<number>,
  expected: number,
  what: string,
): void {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw invalidArgument(fn, arg, values, 'an array of numbers');
  }
  if (values.length !== expected) {
    throw new ShapeError(
      `${fn}: ${arg} must have ${what} = ${expected} elements, got ${formatValue(values.length)}`,
      fn,
      arg,
    );
  }
}

/** Throws unless v is an integer ≥ 1. */
export function assertCount(fn: string, arg: string, v: unknown): asserts v is number {
  assertInteger(fn, arg, v, 1);
}

/** Checks a non-empty array of keys (one per network) and returns how many there are. */
export function checkKeyList(fn: string, arg: string, keys: unknown): number {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw invalidArgument(fn, arg, keys, 'a non-empty array of keys');
  }
  keys.forEach((k, i) => {
    if (!isKey(k)) throw invalidArgument(fn, `${arg}[${i}]`, k, 'a key (Uint32Array(2))');
  });
  return keys.length;
}
