/**
 * Compute pipelines cached by shader key and compiled inside WebGPU error scopes.
 *
 * Steps of {@link PipelineCache.get}:
 * 1. Look the key up; a hit returns the same promise (concurrent requests compile once).
 * 2. Otherwise build the shader source, push `validation` and `internal` error scopes, create the
 *    module, an explicit bind-group layout from the declared bindings, and the pipeline.
 * 3. Read the module's compilation messages and pop the scopes; any error throws
 *    {@link ShaderCompileError} with `key:line:column: message` lines and the numbered source, and
 *    the key is evicted so a fixed shader can be retried.
 */
import { ShaderCompileError, type ShaderMessage } from './errors.js';

/** How a kernel binds a buffer at `@group(0) @binding(i)`. */
export type BindingKind = 'uniform' | 'read-only-storage' | 'storage';

/** A kernel's WGSL with the facts needed to build its pipeline. */
export interface ShaderSource {
  /** WGSL source; the entry point is `main`. */
  readonly code: string;
  /** Binding i of group 0, in order. */
  readonly bindings: readonly BindingKind[];
  /** `@workgroup_size` of `main`. */
  readonly workgroupSize: readonly [number, number, number];
}

/** A compiled kernel: its pipeline, layout and source. */
export interface CompiledKernel {
  readonly key: string;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly source: ShaderSource;
}

function numbered(code: string): string {
  return code
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(4)} | ${l}`)
    .join('\n');
}

/** Pipelines by shader key; one per {@link Gpu}. */
export class PipelineCache {
  private readonly entries = new Map<string, Promise<CompiledKernel>>();

  constructor(private readonly device: GPUDevice) {}

  /** Number of cached (or compiling) pipelines. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The pipeline for `key`, compiling `make()` on a miss.
   * @throws {@link ShaderCompileError} when the WGSL or the pipeline is invalid.
   */
  get(key: string, make: () => ShaderSource): Promise<CompiledKernel> {
    let p = this.entries.get(key);
    if (!p) {
      p = this.compile(key, make());
      this.entries.set(key, p);
      p.catch(() => this.entries.delete(key));
    }
    return p;
  }

  private async compile(key: string, source: ShaderSource): Promise<CompiledKernel> {
    const device = this.device;
    device.pushErrorScope('internal');
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label: key, code: source.code });
    const layout = device.createBindGroupLayout({
      label: key,
      entries: source.bindings.map((kind, binding) => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: kind },
      })),
    });
    const pipeline = device.createComputePipeline({
      label: key,
      layout: device.createPipelineLayout({ label: key, bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const info = await module.getCompilationInfo();
    const validation = await device.popErrorScope();
    const internal = await device.popErrorScope();
    const messages: ShaderMessage[] = info.messages.map((m) => ({
      type: m.type,
      line: m.lineNum,
      column: m.linePos,
      message: m.message,
    }));
    const errors = messages.filter((m) => m.type === 'error');
    const scopeError = validation ?? internal;
    if (errors.length > 0 || scopeError) {
      const lines = errors.map((m) => `${key}:${m.line}:${m.column}: ${m.message}`);
      if (errors.length === 0 && scopeError) lines.push(`${key}: ${scopeError.message}`);
      throw new ShaderCompileError(
        `shader ${key} failed to compile:\n${lines.join('\n')}\n--- source ---\n${numbered(source.code)}`,
        key,
        source.code,
        messages,
      );
    }
    return { key, pipeline, layout, source };
  }
}
