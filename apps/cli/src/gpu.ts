import { type Gpu, GpuUnavailableError, requestGpu } from '@annlab/gpu';
import { CliError } from './errors.js';

/** Points Dawn at SwiftShader when no Vulkan driver is configured (Debian's Chromium ships one). */
async function defaultVulkanDriver(): Promise<void> {
  if (process.env.VK_ICD_FILENAMES) return;
  const { existsSync } = await import('node:fs');
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  if (existsSync(swiftshader)) process.env.VK_ICD_FILENAMES = swiftshader;
}

/** The WebGPU device, or a one-line CliError saying what to install. */
export async function openGpu(): Promise<Gpu> {
  await defaultVulkanDriver();
  try {
    return await requestGpu();
  } catch (err) {
    if (err instanceof GpuUnavailableError)
      throw new CliError(`WebGPU unavailable: ${err.message}`);
    throw new CliError(`WebGPU unavailable: ${(err as Error).message}`);
  }
}
