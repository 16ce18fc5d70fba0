/**
 * Finding a WebGPU device in the browser (`navigator.gpu`) or in Node (the optional `webgpu` npm
 * package, Dawn), reporting which adapter runs the work, and turning device loss into errors.
 */
import { formatValue, invalidArgument } from '@annlab/core/internal';
import { DeviceLostError, GpuError, GpuUnavailableError } from './errors.js';
import { PipelineCache } from './pipelineCache.js';

/** Which adapter runs the work: the "is this on the GPU or on the CPU?" check. */
export interface GpuAdapterReport {
  /** Adapter vendor, e.g. `google`, `nvidia`, `apple` (may be empty where the browser hides it). */
  readonly vendor: string;
  /** Adapter architecture, e.g. `swiftshader`, `ampere`. */
  readonly architecture: string;
  /** Free-form description, possibly empty. */
  readonly description: string;
  /** True for a software/fallback adapter (SwiftShader, WARP): the "GPU" is the CPU. */
  readonly isFallbackAdapter: boolean;
  /** Where WebGPU came from: `navigator.gpu` or the `webgpu` npm package (Dawn). */
  readonly source: 'navigator.gpu' | 'webgpu-npm';
}

/** Options of {@link requestGpu}. */
export interface RequestGpuOptions {
  /** Passed to `requestAdapter`. */
  powerPreference?: GPUPowerPreference;
  /** Ask for a fallback (software) adapter. */
  forceFallbackAdapter?: boolean;
  /** Use this `GPU` object instead of looking one up (for tests or custom setups). */
  gpu?: GPU;
  /**
   * Sleep on a timer for most of the expected time of recurring GPU work before polling for its
   * completion (default: true in Node, false in browsers). Dawn's Node binding polls with
   * `setImmediate` while a GPU promise is pending, which keeps a CPU core busy; on a CPU-emulated
   * adapter (SwiftShader) that core is taken from the emulated GPU. Browsers wait without polling.
   */
  sleepWhileWaiting?: boolean;
}

/** A WebGPU device with annlab's bookkeeping: adapter report, limits, pipeline cache, loss state. */
export interface Gpu {
  readonly device: GPUDevice;
  readonly adapter: GpuAdapterReport;
  /** The device's limits (storage buffer binding size raised to what the adapter allows). */
  readonly limits: GPUSupportedLimits;
  /** Compiled pipelines by shader key. */
  readonly pipelines: PipelineCache;
  /** The loss error once the device is lost, else undefined. */
  readonly lostError: DeviceLostError | undefined;
  /** Whether annlab sleeps through most of the expected GPU time instead of polling (see {@link RequestGpuOptions.sleepWhileWaiting}). */
  readonly sleepWhileWaiting: boolean;
  /** Throws {@link DeviceLostError} if the device has been lost. */
  assertAlive(fn: string): void;
  /**
   * Resolves like `work`, but rejects with {@link DeviceLostError} as soon as the device is lost,
   * so no await on the GPU can hang after a loss.
   */
  guard<T>(work: Promise<T>, fn: string): Promise<T>;
  /** Destroys the device; later use throws {@link DeviceLostError} (reason `destroyed`). */
  dispose(): void;
}

const INSTALL_HINT =
  'In Node, install the optional peer dependency: `npm install webgpu` (Dawn; on Linux without a GPU ' +
  'also SwiftShader or another Vulkan driver, e.g. VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json). ' +
  'In a browser, use one with WebGPU enabled (Chrome/Edge 113+, Safari 26+, or --enable-unsafe-webgpu).';

async function findGpu(): Promise<{ gpu: GPU; source: GpuAdapterReport['source'] }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, source: 'navigator.gpu' };
  let mod: { create: (flags: string[]) => GPU; globals: object };
  try {
    const name = 'webgpu';
    mod = (await import(/* @vite-ignore */ name)) as typeof mod;
  } catch (cause) {
    throw new GpuUnavailableError(
      `requestGpu: no WebGPU found (navigator.gpu is undefined and the 'webgpu' package could not be loaded: ${String(
        (cause as Error)?.message ?? cause,
      )}). ${INSTALL_HINT}`,
    );
  }
  // Dawn's GPU* constants (GPUBufferUsage, ...) become globals, as in a browser.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  return { gpu: mod.create([]), source: 'webgpu-npm' };
}

let dawnGpu: Promise<{ gpu: GPU; source: GpuAdapterReport['source'] }> | undefined;

/**
 * Requests a WebGPU adapter and device: `navigator.gpu` in browsers, else the `webgpu` npm package.
 *
 * @throws {@link GpuUnavailableError} when there is no WebGPU or no adapter; the message says what
 * to install or enable.
 * @example
 * ```ts
 * const gpu = await requestGpu();
 * console.log(gpu.adapter); // { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true, ... }
 * gpu.dispose();
 * ```
 */
export async function requestGpu(options: RequestGpuOptions = {}): Promise<Gpu> {
  if (options === null || typeof options !== 'object') {
    throw invalidArgument('requestGpu', 'options', options, 'an object');
  }
  if (!options.gpu && !dawnGpu) {
    dawnGpu = findGpu().catch((e) => {
      dawnGpu = undefined;
      throw e;
    });
  }
  const found = options.gpu
    ? { gpu: options.gpu, source: 'navigator.gpu' as const }
    : await dawnGpu!;
  const adapterOptions: GPURequestAdapterOptions = {};
  if (options.powerPreference) adapterOptions.powerPreference = options.powerPreference;
  if (options.forceFallbackAdapter) adapterOptions.forceFallbackAdapter = true;
  const adapter = await found.gpu.requestAdapter(adapterOptions);
  if (!adapter) {
    throw new GpuUnavailableError(
      `requestGpu: WebGPU is present (${found.source}) but requestAdapter returned no adapter. ${INSTALL_HINT}`,
    );
  }
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const report: GpuAdapterReport = {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: Boolean(
      info?.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter,
    ),
    source: found.source,
  };
  const al = adapter.limits;
  const device = await adapter.requestDevice({
    label: 'annlab',
    requiredLimits: {
      maxStorageBufferBindingSize: al.maxStorageBufferBindingSize,
      maxBufferSize: al.maxBufferSize,
      maxStorageBuffersPerShaderStage: al.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: al.maxComputeWorkgroupStorageSize,
    },
  });
  return wrapDevice(
    device,
    report,
    options.sleepWhileWaiting === undefined ? {} : { sleepWhileWaiting: options.sleepWhileWaiting },
  );
}

/** True in Node (where Dawn's binding polls while GPU promises are pending), false in browsers. */
function inNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/**
 * Wraps an existing device (e.g. one shared with a renderer) in annlab's {@link Gpu} handle.
 * `options.sleepWhileWaiting` defaults as in {@link requestGpu}: true in Node, false in browsers.
 */
export function wrapDevice(
  device: GPUDevice,
  report: GpuAdapterReport,
  options: Pick<RequestGpuOptions, 'sleepWhileWaiting'> = {},
): Gpu {
  const sleepWhileWaiting = options.sleepWhileWaiting ?? inNode();
  if (typeof sleepWhileWaiting !== 'boolean') {
    throw invalidArgument(
      'wrapDevice',
      'options.sleepWhileWaiting',
      sleepWhileWaiting,
      'a boolean',
    );
  }
  let lostError: DeviceLostError | undefined;
  let disposed = false;
  const lost: Promise<never> = device.lost.then((info) => {
    lostError = new DeviceLostError(
      `GPU device lost (${info.reason}): ${info.message || 'no message'}`,
      info.reason,
    );
    throw lostError;
  });
  lost.catch(() => {});
  const gpu: Gpu = {
    device,
    adapter: report,
    limits: device.limits,
    pipelines: new PipelineCache(device),
    sleepWhileWaiting,
    get lostError() {
      return lostError;
    },
    assertAlive(fn) {
      if (lostError) {
        throw new DeviceLostError(`${fn}: ${lostError.message}`, lostError.reason);
      }
      if (disposed) throw new DeviceLostError(`${fn}: the GPU device was disposed`, 'destroyed');
    },
    guard(work, fn) {
      gpu.assertAlive(fn);
      return Promise.race([
        work,
        lost.catch((e: DeviceLostError) => {
          throw new DeviceLostError(`${fn}: ${e.message}`, e.reason);
        }),
      ]);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      device.destroy();
    },
  };
  device.addEventListener('uncapturederror', (ev) => {
    const err = (ev as GPUUncapturedErrorEvent).error;
    // Errors outside annlab's error scopes are reported, not swallowed.
    console.error(new GpuError(`uncaptured WebGPU error: ${formatValue(err.message)}`));
  });
  return gpu;
}
