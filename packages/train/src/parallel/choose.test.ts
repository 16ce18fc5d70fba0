import { mlpSpec } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { chooseBackend, WEBGPU_MIN_WORK } from './choose.js';

const w5 = mlpSpec([2, 256, 256, 256, 1], 'relu');
const w4 = mlpSpec([1, 64, 64, 1], 'tanh');
const swiftshader = { isFallbackAdapter: true, description: 'google / swiftshader' };
const hardware = { isFallbackAdapter: false, description: 'nvidia / hopper' };

describe("chooseBackend (backend: 'auto')", () => {
  it('never WebGPU on SwiftShader for W5: the CPU on every core, and says why', () => {
    const c = chooseBackend(w5, 4096, { cores: 2, adapter: swiftshader });
    expect(c).toEqual({
      backend: 'cpu',
      threads: 2,
      reason:
        'CPU, 2 threads: the WebGPU adapter (google / swiftshader) is a software emulation on the CPU, slower than the CPU kernels',
    });
  });
  it('SwiftShader named in the description counts as software even when isFallbackAdapter is false', () => {
    const c = chooseBackend(w5, 4096, {
      cores: 2,
      adapter: { isFallbackAdapter: false, description: 'google / swiftshader / subzero' },
    });
    expect(c.backend).toBe('cpu');
    expect(c.reason).toMatch(/is a software emulation on the CPU/);
  });
  it('WebGPU on a hardware adapter for W5 (5.4e8 multiply-adds per step), the CPU for W4', () => {
    expect(chooseBackend(w5, 4096, { cores: 16, adapter: hardware }).backend).toBe('webgpu');
    expect(4096 * 131_840).toBeGreaterThan(WEBGPU_MIN_WORK);
    const c = chooseBackend(w4, 256, { cores: 16, adapter: hardware });
    expect(c.backend).toBe('cpu');
    expect(c.threads).toBe(1); // 256 rows: threads do not pay either
    expect(c.reason).toMatch(/below the 1e\+8 where the GPU pays; a batch of 256 is below/);
  });
  it('no adapter: the CPU; without shared memory one thread, with the reason; a thread request caps the count', () => {
    expect(chooseBackend(w5, 4096, { cores: 8 }).threads).toBe(8);
    expect(chooseBackend(w5, 4096, { cores: 8, threads: 3 }).threads).toBe(3);
    const c = chooseBackend(w5, 4096, { cores: 8, sharedMemory: false });
    expect(c.threads).toBe(1);
    expect(c.reason).toBe(
      'CPU, 1 thread: no WebGPU adapter; no shared memory (cross-origin isolation) for threads',
    );
  });
});
