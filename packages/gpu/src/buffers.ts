/**
 * GPU buffers: creation within the device's limits, upload, readback, and release on `dispose()`.
 */
import { ValidationError } from '@annlab/core';
import { formatValue } from '@annlab/core/internal';
import type { Gpu } from './device.js';
import { GpuError } from './errors.js';

/** A float32 or uint32 array backed by a plain ArrayBuffer, as `queue.writeBuffer` wants. */
export type GpuData = Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;

/** Copies any numeric array into a fresh `Float32Array<ArrayBuffer>` (rounding to float32). */
export function toF32(values: ArrayLike<number>): Float32Array<ArrayBuffer> {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}

/**
 * Throws a {@link ValidationError} naming `fn` and `arg` when `bytes` exceeds what one storage
 * binding or one buffer may hold on this device.
 */
export function checkBufferSize(gpu: Gpu, fn: string, arg: string, bytes: number): void {
  const max = Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize);
  if (bytes > max) {
    throw new ValidationError(
      `${fn}: ${arg} needs ${formatValue(bytes)} bytes, more than this device allows in one buffer (${max}); split the work into smaller pieces`,
      fn,
      arg,
    );
  }
}

const STORAGE = 0x80; // GPUBufferUsage.STORAGE
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const UNIFORM = 0x40;
const MAP_READ = 0x01;

/** Buffers created together and released together with {@link BufferScope.dispose}. */
export class BufferScope {
  private readonly buffers: GPUBuffer[] = [];
  private disposed = false;

  constructor(
    readonly gpu: Gpu,
    readonly label: string,
  ) {}

  /** Number of live buffers owned by this scope. */
  get count(): number {
    return this.buffers.length;
  }

  /**
   * A storage buffer of `data.length` elements holding `data`, or of `length` zeroed elements.
   * Sizes are checked against the device limits (`fn` names the caller in errors).
   */
  storage(data: GpuData | number, label: string, fn = 'BufferScope.storage'): GPUBuffer {
    this.check(fn);
    const bytes = typeof data === 'number' ? data * 4 : data.byteLength;
    checkBufferSize(this.gpu, fn, label, bytes);
    const buffer = this.gpu.device.createBuffer({
      label: `${this.label}/${label}`,
      size: Math.max(4, Math.ceil(bytes / 4) * 4),
      usage: STORAGE | COPY_SRC | COPY_DST,
      mappedAtCreation: typeof data !== 'number',
    });
    if (typeof data !== 'number') {
      const ctor = data.constructor as new (b: ArrayBuffer) => GpuData;
      new ctor(buffer.getMappedRange()).set(data);
      buffer.unmap();
    }
    this.buffers.push(buffer);
    return buffer;
  }

  /** A uniform buffer holding `data` (16-byte padded). */
  uniform(data: GpuData, label: string): GPUBuffer {
    this.check('BufferScope.uniform');
    const buffer = this.gpu.device.createBuffer({
      label: `${this.label}/${label}`,
      size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
      usage: UNIFORM | COPY_DST,
      mappedAtCreation: true,
    });
    const ctor = data.constructor as new (b: ArrayBuffer) => GpuData;
    new ctor(buffer.getMappedRange()).set(data);
    buffer.unmap();
    this.buffers.push(buffer);
    return buffer;
  }

  /** Destroys every buffer of the scope; idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
  }

  private check(fn: string): void {
    if (this.disposed) throw new GpuError(`${fn}: ${this.label} has been disposed`);
    this.gpu.assertAlive(fn);
  }
}

async function readBytes(
  gpu: Gpu,
  buffer: GPUBuffer,
  byteOffset: number,
  byteLength: number,
  fn: string,
): Promise<ArrayBuffer> {
  gpu.assertAlive(fn);
  const size = Math.max(4, byteLength);
  const staging = gpu.device.createBuffer({
    label: `${fn}/staging`,
    size,
    usage: MAP_READ | COPY_DST,
  });
  try {
    const enc = gpu.device.createCommandEncoder({ label: `${fn}/readback` });
    if (byteLength > 0) enc.copyBufferToBuffer(buffer, byteOffset, staging, 0, byteLength);
    gpu.device.queue.submit([enc.finish()]);
    await gpu.guard(staging.mapAsync(MAP_READ), fn);
    return staging.getMappedRange().slice(0, byteLength);
  } finally {
    staging.destroy();
  }
}

/** Reads `length` float32 values starting at element `offset` of `buffer` back to the CPU. */
export async function readF32(
  gpu: Gpu,
  buffer: GPUBuffer,
  length = buffer.size / 4,
  offset = 0,
): Promise<Float32Array> {
  return new Float32Array(await readBytes(gpu, buffer, offset * 4, length * 4, 'readF32'));
}

/** Reads `length` uint32 values starting at element `offset` of `buffer` back to the CPU. */
export async function readU32(
  gpu: Gpu,
  buffer: GPUBuffer,
  length = buffer.size / 4,
  offset = 0,
): Promise<Uint32Array> {
  return new Uint32Array(await readBytes(gpu, buffer, offset * 4, length * 4, 'readU32'));
}
