import { expect, it } from 'vitest';
import { BufferScope, readF32 } from './buffers.js';
import { requestGpu, wrapDevice } from './device.js';
import { DeviceLostError, GpuUnavailableError, ShaderCompileError } from './errors.js';
import { describeGpu } from './test-helpers/gpu.js';

it('requestGpu says what to install when there is no adapter', async () => {
  const fake = { requestAdapter: async () => null } as unknown as GPU;
  const err = await requestGpu({ gpu: fake }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(GpuUnavailableError);
  expect((err as Error).message).toMatch(/requestAdapter returned no adapter.*npm install webgpu/);
  await expect(requestGpu(null as never)).rejects.toThrow(
    'requestGpu: options must be an object, got null',
  );
});

describeGpu('device, pipeline cache and buffers', (gpu) => {
  it('reports the adapter (SwiftShader here: a fallback adapter, i.e. the CPU)', () => {
    const a = gpu().adapter;
    expect(typeof a.vendor).toBe('string');
    expect(typeof a.architecture).toBe('string');
    expect(typeof a.isFallbackAdapter).toBe('boolean');
    expect(['navigator.gpu', 'webgpu-npm']).toContain(a.source);
  });

  it('sleeps through GPU work in Node unless asked not to; wrapDevice checks the option', async () => {
    // Node (these tests): Dawn's binding polls while waiting, so annlab sleeps instead.
    expect(gpu().sleepWhileWaiting).toBe(true);
    const polling = wrapDevice(gpu().device, gpu().adapter, { sleepWhileWaiting: false });
    expect(polling.sleepWhileWaiting).toBe(false);
    expect(wrapDevice(gpu().device, gpu().adapter).sleepWhileWaiting).toBe(true);
    expect(() =>
      wrapDevice(gpu().device, gpu().adapter, { sleepWhileWaiting: 'yes' as never }),
    ).toThrow('wrapDevice: options.sleepWhileWaiting must be a boolean, got "yes"');
  });

  it('caches pipelines by key and compiles each once', async () => {
    const make = () => ({
      code: '@group(0) @binding(0) var<storage, read_write> x: array<f32>;\n@compute @workgroup_size(1) fn main() { x[0] = 1.0; }',
      bindings: ['storage'] as const,
      workgroupSize: [1, 1, 1] as const,
    });
    const before = gpu().pipelines.size;
    const [a, b] = await Promise.all([
      gpu().pipelines.get('test/ones', make),
      gpu().pipelines.get('test/ones', make),
    ]);
    expect(a).toBe(b);
    expect(gpu().pipelines.size).toBe(before + 1);
  });

  it('throws ShaderCompileError with line:column and the numbered source', async () => {
    const code = 'fn f() -> f32 {\n  return 1.0 + ;\n}\n@compute @workgroup_size(1) fn main() {}';
    const err = await gpu()
      .pipelines.get('test/broken', () => ({ code, bindings: [], workgroupSize: [1, 1, 1] }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShaderCompileError);
    const e = err as ShaderCompileError;
    expect(e.message).toMatch(/^shader test\/broken failed to compile:\ntest\/broken:2:\d+: /);
    expect(e.message).toContain('   2 |   return 1.0 + ;');
    expect(e.messages[0]!.line).toBe(2);
    expect(e.source).toBe(code);
  });

  it('refuses buffers beyond the device limit with a clear message', () => {
    const scope = new BufferScope(gpu(), 'test');
    const max = Math.min(gpu().limits.maxStorageBufferBindingSize, gpu().limits.maxBufferSize);
    expect(() => scope.storage(max / 4 + 1, 'huge', 'test')).toThrow(
      /test: huge needs \d+ bytes, more than this device allows in one buffer \(\d+\); split the work/,
    );
    scope.dispose();
    expect(scope.count).toBe(0);
    expect(() => scope.storage(1, 'late')).toThrow('BufferScope.storage: test has been disposed');
  });
});

it('a lost (destroyed) device rejects further work with DeviceLostError instead of hanging', async () => {
  let g: Awaited<ReturnType<typeof requestGpu>>;
  try {
    g = await requestGpu();
  } catch {
    return; // no WebGPU here: covered by the skip message of the suites above
  }
  const scope = new BufferScope(g, 'lost');
  const buf = scope.storage(Float32Array.of(1, 2), 'x');
  g.dispose();
  await expect(readF32(g, buf, 2)).rejects.toBeInstanceOf(DeviceLostError);
  await new Promise((r) => setTimeout(r, 50));
  expect(g.lostError).toBeInstanceOf(DeviceLostError);
  expect(g.lostError!.reason).toBe('destroyed');
});
