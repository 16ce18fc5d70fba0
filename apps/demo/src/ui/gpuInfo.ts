/** Detects WebGPU in this browser and describes the adapter, without keeping a device. */

/** What the page can tell about WebGPU. */
export interface GpuInfo {
  readonly available: boolean;
  /**
   * e.g. 'WebGPU adapter: google swiftshader (fallback adapter)', or why WebGPU is unavailable;
   * then whether threads can run (cross-origin isolation).
   */
  readonly description: string;
}

let cached: Promise<GpuInfo> | undefined;

/** Whether training threads can run here (they need a cross-origin isolated page: COOP/COEP). */
function threadsLine(): string {
  return globalThis.crossOriginIsolated === true
    ? 'threads: available (cross-origin isolated)'
    : 'threads: off, one thread (the page is not cross-origin isolated)';
}

/**
 * Asks `navigator.gpu` for an adapter once per page.
 *
 * @example
 * ```ts
 * const { available, description } = await detectGpu();
 * ```
 */
export function detectGpu(): Promise<GpuInfo> {
  cached ??= (async (): Promise<GpuInfo> => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return { available: false, description: 'WebGPU is not available here: CPU only' };
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) {
        return { available: false, description: 'WebGPU found no adapter: CPU only' };
      }
      const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
      const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
      const fallback = info.isFallbackAdapter ? ' (fallback adapter)' : '';
      return { available: true, description: `WebGPU adapter: ${name || 'unnamed'}${fallback}` };
    } catch (e) {
      return { available: false, description: `WebGPU failed: ${(e as Error).message}` };
    }
  })().then((i) => ({ ...i, description: `${i.description}; ${threadsLine()}` }));
  return cached;
}
