/**
 * Stand-in for the Chromium project when Chromium is absent (vitest.config.ts includes this file
 * only then): a skipped test with the reason, or a failure under `ANNLAB_REQUIRE_GPU=1`.
 */
import { describe, inject, it } from 'vitest';

const reason = `Chromium not found at ${inject('chromiumPath')}; browser WebGPU tests not run`;

describe("Chromium's navigator.gpu", () => {
  if (inject('requireGpu')) {
    it('runs in Chromium (ANNLAB_REQUIRE_GPU=1)', () => {
      throw new Error(`WebGPU in Chromium required but unavailable: ${reason}`);
    });
  } else {
    console.warn(`[annlab/gpu] skipping browser tests: ${reason}`);
    it.skip(`runs in Chromium (${reason})`, () => {});
  }
});
