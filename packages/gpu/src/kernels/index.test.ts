/**
 * The split between @annlab/gpu and @annlab/gpu/kernels: shader builders and tuning constants are
 * reachable from the subpath only; the kernel wrappers stay in the package root.
 */

import { describe, expect, it } from 'vitest';
import * as gpu from '../index.js';
import * as kernels from './index.js';

describe('@annlab/gpu/kernels', () => {
  it('holds every shader builder and tuning constant, none of which the root exports', () => {
    const names = Object.keys(kernels);
    expect(names.filter((n) => /^make\w+Shader$/.test(n)).length).toBe(9);
    expect(names.filter((n) => n.startsWith('MATMUL_')).length).toBe(8);
    for (const name of names) expect(Object.hasOwn(gpu, name)).toBe(false);
  });

  it('the root keeps no shader builder or MATMUL_ constant, and keeps the wrappers', () => {
    const root = Object.keys(gpu);
    expect(root.filter((n) => /Shader$|^MATMUL_|WGSL|Wgsl/.test(n))).toEqual([]);
    for (const name of ['matmul', 'prepareMatmul', 'timeMatmul', 'requestGpu', 'trainSmallMlps']) {
      expect(typeof (gpu as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('matmulTile picks the default register tile for a small product on a hardware adapter', () => {
    const tile = kernels.matmulTile(
      { isFallbackAdapter: false, architecture: '' },
      { m: 8, n: 8, k: 8 },
    );
    expect(tile).toEqual({ rows: kernels.MATMUL_ROWS, colGroups: kernels.MATMUL_COL_GROUPS });
  });
});
