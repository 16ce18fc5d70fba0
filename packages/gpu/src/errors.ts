/**
 * Error classes of @annlab/gpu, all extending core's {@link AnnlabError}.
 */
import { AnnlabError } from '@annlab/core';

/** Base class of errors raised by the WebGPU layer (validation of GPU work, limits, readback). */
export class GpuError extends AnnlabError {
  override name = 'GpuError';
}

/** No WebGPU implementation or no adapter; the message says what to install or enable. */
export class GpuUnavailableError extends GpuError {
  override name = 'GpuUnavailableError';
}

/** One message of a WGSL compilation, 1-based line and column as WebGPU reports them. */
export interface ShaderMessage {
  readonly type: 'error' | 'warning' | 'info';
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * A WGSL shader failed to compile or its pipeline failed validation. The message lists every
 * error as `label:line:column: message` followed by the numbered source.
 */
export class ShaderCompileError extends GpuError {
  override name = 'ShaderCompileError';
  constructor(
    message: string,
    /** The pipeline cache key (the kernel and its compile-time parameters). */
    readonly key: string,
    /** The WGSL source that failed. */
    readonly source: string,
    /** The compiler's messages. */
    readonly messages: readonly ShaderMessage[],
  ) {
    super(message);
  }
}

/** The GPU device was lost (driver reset, `destroy()`, out of memory); work on it cannot go on. */
export class DeviceLostError extends GpuError {
  override name = 'DeviceLostError';
  constructor(
    message: string,
    /** `'destroyed'` when annlab or the user destroyed the device, else `'unknown'`. */
    readonly reason: string,
  ) {
    super(message);
  }
}
