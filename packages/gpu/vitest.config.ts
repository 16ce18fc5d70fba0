/**
 * Two vitest projects in one `vitest run`, so the one JSON report (reports/vitest.json) holds both:
 *
 * - `node`: every `src/**\/*.test.ts` on Dawn (the `webgpu` package) + SwiftShader.
 * - `chromium`: `src/**\/*.browser.test.ts` in headless Chromium through the browser's own
 *   `navigator.gpu` (vitest browser mode, `@vitest/browser-playwright`).
 *
 * Without Chromium the browser project is left out with a printed reason and a skipped placeholder
 * test (`src/browser/chromium.absent.test.ts`) stands in for it; with `ANNLAB_REQUIRE_GPU=1` that
 * placeholder fails instead.
 */
import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { annlabVitestConfig, configureWebGpuEnvironment } from '../../vitest.shared.js';

configureWebGpuEnvironment();

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
const requireGpu = process.env.ANNLAB_REQUIRE_GPU === '1';
const provide = { requireGpu, chromiumPath: chromium };
const BROWSER_TESTS = 'src/**/*.browser.test.ts';
const ABSENT_TEST = 'src/browser/chromium.absent.test.ts';

if (!hasChromium) {
  console.warn(
    `[annlab/gpu] ${chromium} not found: the Chromium (browser WebGPU) project is ${
      requireGpu ? 'required (ANNLAB_REQUIRE_GPU=1) and fails' : 'skipped'
    }. Install Debian's chromium or set CHROMIUM_PATH.`,
  );
}

const shared = annlabVitestConfig(import.meta.dirname);

const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: {
      name: 'node',
      provide,
      exclude: [BROWSER_TESTS, ...(hasChromium ? [ABSENT_TEST] : []), '**/node_modules/**'],
    },
  },
];
if (hasChromium) {
  // Not `extends: true`: that would concatenate the shared `include` (every *.test.ts) with ours.
  projects.push({
    resolve: shared.resolve,
    test: {
      name: 'chromium',
      provide,
      include: [BROWSER_TESTS],
      setupFiles: shared.test?.setupFiles,
      testTimeout: shared.test?.testTimeout,
      hookTimeout: shared.test?.hookTimeout,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: {
            executablePath: chromium,
            args: [
              '--enable-unsafe-webgpu',
              '--disable-gpu',
              '--no-sandbox',
              '--disable-quic',
              '--no-first-run',
              '--disable-background-networking',
              '--disable-component-update',
              '--disable-sync',
            ],
          },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  });
}

export default annlabVitestConfig(import.meta.dirname, { test: { projects } });
