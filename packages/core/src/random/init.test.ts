import { describe, expect, it } from 'vitest';
import { initNetworkParams, key, normal, split } from './index.js';

describe('initNetworkParams: JAX MLP tutorial init_network_params', () => {
  it('composes split(key, len(sizes)), split(k) and normal of shapes (n, m) and (n,)', () => {
    const sizes = [1, 1, 1, 1];
    const k = key(1);
    const params = initNetworkParams(sizes, k);
    expect(params).toHaveLength(3);
    const keys = split(k, 4); // len(sizes) keys, the last unused
    params.forEach((layer, l) => {
      const [wk, bk] = split(keys[l]!);
      expect(layer.w[0]).toBe(normal(wk!, [1, 1])[0]);
      expect(layer.b[0]).toBe(normal(bk!, [1])[0]);
      expect(layer.w).toHaveLength(1);
    });
    // with len(sizes) − 1 keys the weights would differ in the legacy scheme only
    const legacy = initNetworkParams(sizes, k, 1, { scheme: 'legacy' });
    const legacyKeys = split(k, 4, { scheme: 'legacy' });
    expect(legacy[0]!.w[0]).toBe(
      normal(split(legacyKeys[0]!, 2, { scheme: 'legacy' })[0]!, [], { scheme: 'legacy' })[0],
    );
  });
  it('shapes w n×m row-major and b n; scale multiplies in float32', () => {
    const p = initNetworkParams([2, 3, 1], key(0), 0.01);
    expect(p.map((l) => [l.w.length, l.b.length, l.inputs, l.outputs])).toEqual([
      [6, 3, 2, 3],
      [3, 1, 3, 1],
    ]);
    const unscaled = initNetworkParams([2, 3, 1], key(0));
    for (let i = 0; i < 6; i++) {
      expect(p[0]!.w[i]).toBe(Math.fround(Math.fround(0.01) * unscaled[0]!.w[i]!));
    }
  });
  it('rejects bad sizes, keys and scales', () => {
    expect(() => initNetworkParams([1], key(0))).toThrow(
      'initNetworkParams: sizes must be an array of at least 2 layer widths, got Array(1)',
    );
    expect(() => initNetworkParams([1, 0], key(0))).toThrow(
      'initNetworkParams: sizes[1] must be a positive integer, got 0',
    );
    expect(() => initNetworkParams([1, 1], key(0), Number.NaN)).toThrow(
      'initNetworkParams: scale must be a finite number, got NaN',
    );
  });
});
