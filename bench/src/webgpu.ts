/**
 * WebGPU in Node through Dawn (npm `webgpu`): installs the WebGPU globals and `navigator.gpu` once,
 * so that TF.js webgpu, jax-js webgpu and @annlab/gpu all run on the same adapter.
 *
 * On a machine without a GPU, Dawn finds SwiftShader (a Vulkan GPU emulated on the CPU) through
 * `VK_ICD_FILENAMES`; it is set here to Chromium's SwiftShader driver when unset and present.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';

/** What the adapter reports about itself. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

let setup: Promise<{ info: AdapterInfo | null; reason: string }> | null = null;

/** Installs Dawn's globals once; resolves to the adapter's info, or null with a reason. */
export function setupWebGpu(): Promise<{ info: AdapterInfo | null; reason: string }> {
  setup ??= (async () => {
    if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER;
    }
    if (!process.env.XDG_RUNTIME_DIR) {
      process.env.XDG_RUNTIME_DIR = mkdtempSync(path.join(tmpdir(), 'annlab-xdg-'));
    }
    try {
      const dawn = await import('webgpu');
      Object.assign(globalThis, dawn.globals);
      const gpu = dawn.create([]);
      const nav = {
        gpu,
        userAgent: `Node.js/${process.versions.node}`,
        hardwareConcurrency: cpus().length,
        language: 'en-US',
      };
      Object.defineProperty(globalThis, 'navigator', {
        value: nav,
        configurable: true,
        writable: true,
      });
      const adapter = await gpu.requestAdapter();
      if (!adapter) return { info: null, reason: 'Dawn found no WebGPU adapter' };
      const i = adapter.info;
      const info: AdapterInfo = {
        vendor: i.vendor,
        architecture: i.architecture,
        device: i.device,
        description: i.description,
        isFallbackAdapter: (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
      };
      return { info, reason: '' };
    } catch (e) {
      return { info: null, reason: `webgpu (Dawn) failed: ${(e as Error).message}` };
    }
  })();
  return setup;
}

/** A one-line description of the adapter for tables. */
export function describeAdapter(info: AdapterInfo | null, reason: string): string {
  if (!info) return `none (${reason})`;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s);
  return `${parts.join(' / ')}${info.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
}
