import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { foldIn, isKey, key, keyFromData, keyToString, split } from './index.js';

const data = (ks: Uint32Array[]) => ks.map((k) => Array.from(k));
const LEGACY = { scheme: 'legacy' } as const;

describe('key(seed): jax.random.PRNGKey', () => {
  it('small seeds give [0, seed]', () => {
    // docs.jax.dev jax.random module page: `random.key(0)` overlays `[0 0]`.
    expect(Array.from(key(0))).toEqual([0, 0]);
    expect(Array.from(key(1))).toEqual([0, 1]);
    expect(Array.from(key(1n))).toEqual([0, 1]);
  });
  it('32-bit mode keeps the low 32 bits (int64 → int32), negative seeds wrap', () => {
    // prng.py random_seed/_threefry_seed: int seed → int64 → int32 in the default x32 mode.
    expect(Array.from(key(-1))).toEqual([0, 4294967295]);
    expect(Array.from(key(-2))).toEqual([0, 4294967294]);
    expect(Array.from(key(2 ** 31 + 99))).toEqual([0, 2147483747]);
    expect(Array.from(key(2 ** 32 + 5))).toEqual(Array.from(key(5)));
    expect(Array.from(key(2n ** 63n - 1n))).toEqual([0, 4294967295]);
  });
  it('x64 mode keeps both words of the int64', () => {
    expect(Array.from(key(-1, { x64: true }))).toEqual([4294967295, 4294967295]);
    expect(Array.from(key(-3, { x64: true }))).toEqual([4294967295, 4294967293]);
    expect(Array.from(key(2 ** 32 + 5, { x64: true }))).toEqual([1, 5]);
    expect(Array.from(key(7, { x64: true }))).toEqual([0, 7]);
  });
  it('rejects non-integers and seeds outside int64', () => {
    expect(() => key(1.5)).toThrow('key: seed must be a safe integer, got 1.5');
    expect(() => key(2 ** 60)).toThrow(ValidationError);
    expect(() => key(2n ** 63n)).toThrow(
      'key: seed must be in the int64 range [-2^63, 2^63 - 1], got 9223372036854775808n',
    );
    expect(() => key('3' as unknown as number)).toThrow('key: seed must be an integer');
  });
  it('isKey, keyFromData and keyToString', () => {
    expect(isKey(key(3))).toBe(true);
    expect(isKey([0, 3])).toBe(false);
    expect(isKey(new Uint32Array(3))).toBe(false);
    expect(keyToString(keyFromData(7, 42))).toBe('[7, 42]');
    expect(() => keyFromData(-1, 0)).toThrow('keyFromData: k0 must be an integer in [0, 2^32 - 1]');
  });
});

describe('split: partitionable scheme (JAX ≥ 0.5 default)', () => {
  it('matches jax.random.split(jax.random.key(1), 3)', () => {
    // Values from ekzhang/jax-js test/random.test.ts ("random split is consistent with jax").
    expect(data(split(key(1), 3))).toEqual([
      [507451445, 1853169794],
      [1948878966, 4237131848],
      [2441914641, 3819641963],
    ]);
  });
  it('key i of split(key, n) does not depend on n and equals foldIn(key, i)', () => {
    const k = key(42);
    const five = split(k, 5);
    const two = split(k, 2);
    expect(data(two)).toEqual(data(five.slice(0, 2)));
    for (let i = 0; i < 5; i++) expect(Array.from(foldIn(k, i))).toEqual(Array.from(five[i]!));
  });
  it('defaults to two keys, allows zero, returns fresh arrays', () => {
    expect(split(key(0))).toHaveLength(2);
    expect(split(key(0), 0)).toEqual([]);
    const k = key(9);
    split(k, 3);
    expect(Array.from(k)).toEqual([0, 9]);
  });
});

describe('split and foldIn: legacy scheme (jax_threefry_partitionable=False)', () => {
  it('matches JAX testPRNGValues: split(PRNGKey(0), 4) and fold_in(PRNGKey(0), 4)', () => {
    // jax tests/random_test.py, testPRNGValues (run with the legacy scheme).
    expect(data(split(key(0), 4, LEGACY))).toEqual([
      [2285895361, 1501764800],
      [1518642379, 4090693311],
      [433833334, 4221794875],
      [839183663, 3740430601],
    ]);
    expect(Array.from(foldIn(key(0), 4))).toEqual([2285895361, 433833334]);
  });
  it('legacy keys depend on the count (first key of split(k, 2) ≠ of split(k, 3))', () => {
    const k = key(5);
    expect(Array.from(split(k, 2, LEGACY)[0]!)).not.toEqual(Array.from(split(k, 3, LEGACY)[0]!));
  });
});

describe('validation', () => {
  it('rejects bad keys with the function and value named', () => {
    expect(() => split([0, 1] as unknown as Uint32Array)).toThrow(
      'split: key must be a key (Uint32Array of length 2, from key() or split()), got Array(2)',
    );
    expect(() => foldIn(new Uint32Array(3), 1)).toThrow(
      'foldIn: key must be a key (Uint32Array of length 2, from key() or split()), got Uint32Array(3)',
    );
    expect(() => keyToString(new Float64Array(2) as unknown as Uint32Array)).toThrow(
      ValidationError,
    );
  });
  it('rejects bad num, data and scheme', () => {
    expect(() => split(key(0), -1)).toThrow('split: num must be an integer in [0, 2^31], got -1');
    expect(() => split(key(0), 2.5)).toThrow(ValidationError);
    expect(() => foldIn(key(0), 0.5)).toThrow(
      'foldIn: data must be an integer in [-2^31, 2^32 - 1], got 0.5',
    );
    expect(() => split(key(0), 2, { scheme: 'old' as 'legacy' })).toThrow(
      `split: opts.scheme must be 'partitionable' or 'legacy', got "old"`,
    );
  });
  it('foldIn wraps negative data to uint32', () => {
    expect(Array.from(foldIn(key(3), -1))).toEqual(Array.from(foldIn(key(3), 0xffffffff)));
  });
});
