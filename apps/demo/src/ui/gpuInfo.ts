/** Detects WebGPU in this browser and describes the adapter, without keeping a device. */
import { pick } from '../i18n/lang.js';

/** What the page can tell about WebGPU. */
export interface GpuInfo {
  readonly available: boolean;
  /**
   * e.g. 'WebGPU adapter: google swiftshader (fallback adapter)', or why WebGPU is unavailable;
   * then whether threads can run (cross-origin isolation).
   */
  readonly description: string;
  /** The adapter's name as the browser reports it (vendor, architecture, description), if any. */
  readonly adapter?: string;
}

const S = () =>
  pick({
    en: {
      threadsOn: 'threads: available (cross-origin isolated)',
      threadsOff: 'threads: off, one thread (the page is not cross-origin isolated)',
      none: 'WebGPU is not available here: CPU only',
      noAdapter: 'WebGPU found no adapter: CPU only',
      adapter: (name: string, fallback: boolean) =>
        `WebGPU adapter: ${name}${fallback ? ' (fallback adapter)' : ''}`,
      unnamed: 'unnamed',
      failed: (m: string) => `WebGPU failed: ${m}`,
    },
    'zh-CN': {
      threadsOn: '多线程：可用（页面已跨源隔离）',
      threadsOff: '多线程：关闭，单线程运行（页面未跨源隔离）',
      none: '此处没有 WebGPU：仅用 CPU',
      noAdapter: 'WebGPU 找不到适配器：仅用 CPU',
      adapter: (name: string, fallback: boolean) =>
        `WebGPU 适配器：${name}${fallback ? '（软件回退适配器）' : ''}`,
      unnamed: '未命名',
      failed: (m: string) => `WebGPU 出错：${m}`,
    },
  });

let cached: Promise<GpuInfo> | undefined;

/** Whether training threads can run here (they need a cross-origin isolated page: COOP/COEP). */
function threadsLine(): string {
  return globalThis.crossOriginIsolated === true ? S().threadsOn : S().threadsOff;
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
    if (!gpu) return { available: false, description: S().none };
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) {
        return { available: false, description: S().noAdapter };
      }
      const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
      const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
      return {
        available: true,
        description: S().adapter(name || S().unnamed, info.isFallbackAdapter === true),
        ...(name ? { adapter: name } : {}),
      };
    } catch (e) {
      return { available: false, description: S().failed((e as Error).message) };
    }
  })().then((i) => ({
    ...i,
    description: `${i.description}${pick({ en: '; ', 'zh-CN': '；' })}${threadsLine()}`,
  }));
  return cached;
}
