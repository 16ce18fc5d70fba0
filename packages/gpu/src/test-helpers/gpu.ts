/**
 * Test gating for GPU suites: one adapter request per test file; without WebGPU the suite is
 * skipped with a printed reason, or fails when `ANNLAB_REQUIRE_GPU=1` (CI). The flag comes through
 * vitest's `provide`/`inject` (see vitest.config.ts), which also reaches tests running in Chromium.
 */
import { describe, inject, it } from 'vitest';
import { type Gpu, requestGpu } from '../device.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `ANNLAB_REQUIRE_GPU=1` in the vitest process (read there, so browser tests see it too). */
    requireGpu: boolean;
    /** The Chromium executable the browser project launches. */
    chromiumPath: string;
  }
}

let probe: Promise<Gpu | string> | undefined;

/** The shared test device, or the reason there is none. */
export function acquireGpu(): Promise<Gpu | string> {
  probe ??= requestGpu().catch((e: Error) => `${e.name}: ${e.message}`);
  return probe;
}

const available = await acquireGpu();

/**
 * `describe` for suites that need WebGPU. `fn` receives `gpu()`, valid inside tests and hooks.
 */
export function describeGpu(name: string, fn: (gpu: () => Gpu) => void): void {
  if (typeof available !== 'string') {
    const gpu = available;
    describe(name, () => fn(() => gpu));
    return;
  }
  const reason = available;
  if (inject('requireGpu')) {
    describe(name, () => {
      it('has a WebGPU adapter (ANNLAB_REQUIRE_GPU=1)', () => {
        throw new Error(`WebGPU required but unavailable: ${reason}`);
      });
    });
    return;
  }
  console.warn(`[annlab/gpu] skipping "${name}": ${reason}`);
  describe.skip(name, () =>
    fn(() => {
      throw new Error(reason);
    }),
  );
}
