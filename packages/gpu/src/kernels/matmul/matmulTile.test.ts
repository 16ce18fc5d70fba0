import { describe, expect, it } from 'vitest';
import { MATMUL_CPU_TILE_MIN_OUTPUTS, MATMUL_CPU_TILE_MIN_WORK, matmulTile } from './matmul.js';
import { MATMUL_COL_GROUPS, MATMUL_CPU_TILE, MATMUL_ROWS } from './matmul.wgsl.js';

const swiftshader = { isFallbackAdapter: true, architecture: 'swiftshader' };
const gpuAdapter = { isFallbackAdapter: false, architecture: 'ampere' };
const gpuTile = { rows: MATMUL_ROWS, colGroups: MATMUL_COL_GROUPS };
const cpuTile = { rows: MATMUL_CPU_TILE.rows, colGroups: MATMUL_CPU_TILE.colGroups };

describe('matmulTile (the register tile prepareMatmul picks when none is given)', () => {
  it('uses the 16×16 tile on CPU-emulated adapters for products big enough to repay it', () => {
    // The dense-layer products of W5 and the square benchmark sizes.
    expect(matmulTile(swiftshader, { m: 4096, n: 256, k: 256 })).toEqual(cpuTile);
    expect(matmulTile(swiftshader, { m: 256, n: 256, k: 4096 })).toEqual(cpuTile);
    expect(matmulTile(swiftshader, { m: 1024, n: 1024, k: 1024 })).toEqual(cpuTile);
    // SwiftShader recognised by its architecture too (browsers that do not flag it as fallback).
    expect(
      matmulTile(
        { isFallbackAdapter: false, architecture: 'swiftshader' },
        { m: 512, n: 512, k: 512 },
      ),
    ).toEqual(cpuTile);
    // The thresholds are inclusive: 2²² multiply-adds and two 128×128 workgroup tiles of C.
    expect(MATMUL_CPU_TILE_MIN_WORK).toBe(2 ** 22);
    expect(MATMUL_CPU_TILE_MIN_OUTPUTS).toBe(2 * 128 * 128);
    expect(matmulTile(swiftshader, { m: 256, n: 256, k: 64 })).toEqual(cpuTile);
    expect(matmulTile(swiftshader, { m: 256, n: 128, k: 128 })).toEqual(cpuTile);
  });

  it('keeps the 8×4 tile for small products and thin matrices on CPU-emulated adapters', () => {
    expect(matmulTile(swiftshader, { m: 256, n: 256, k: 63 })).toEqual(gpuTile);
    // One 128×128 block of C would leave the other cores idle, however long k is.
    expect(matmulTile(swiftshader, { m: 128, n: 128, k: 4096 })).toEqual(gpuTile);
    // One output column or row (the output layer of a regression MLP, its ∂W): no 16×16 blocks.
    expect(matmulTile(swiftshader, { m: 4096, n: 1, k: 256 })).toEqual(gpuTile);
    expect(matmulTile(swiftshader, { m: 1, n: 256, k: 4096 })).toEqual({
      rows: 4,
      colGroups: MATMUL_COL_GROUPS,
    });
    expect(matmulTile(swiftshader, { m: 4096, n: 31, k: 4096 })).toEqual(gpuTile);
  });

  it('keeps the 8×4 tile on real GPUs whatever the size (registers and occupancy)', () => {
    expect(matmulTile(gpuAdapter, { m: 4096, n: 256, k: 256 })).toEqual(gpuTile);
    expect(matmulTile(gpuAdapter, { m: 2048, n: 2048, k: 2048 })).toEqual(gpuTile);
    expect(matmulTile(gpuAdapter, { m: 3, n: 256, k: 256 })).toEqual({
      rows: 4,
      colGroups: MATMUL_COL_GROUPS,
    });
  });
});
