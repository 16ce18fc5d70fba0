/**
 * Two vitest projects in one `vitest run`, so the one JSON report (reports/vitest.json) holds both:
 *
 * - `node`: every `src/**\/*.test.ts`.
 * - `chromium`: `src/**\/*.browser.test.ts` in headless Chromium (vitest browser mode,
 *   `@vitest/browser-playwright`): the trainer in a real Web Worker.
 *
 * Without Chromium the browser project is left out with a printed reason (a failure under
 * `ANNLAB_REQUIRE_GPU=1` or CI, whose machines have it).
 */
import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { annlabVitestConfig } from '../../vitest.shared.js';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
const required = process.env.ANNLAB_REQUIRE_GPU === '1' || Boolean(process.env.CI);
const BROWSER_TESTS = 'src/**/*.browser.test.ts';

if (!hasChromium) {
  const message = `[annlab/train] ${chromium} not found: the Chromium (Web Worker) tests are ${
    required ? 'required (CI or ANNLAB_REQUIRE_GPU=1)' : 'skipped'
  }. Install Debian's chromium or set CHROMIUM_PATH.`;
  if (required) throw new Error(message);
  console.warn(message);
}

const shared = annlabVitestConfig(import.meta.dirname);

const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: { name: 'node', exclude: [BROWSER_TESTS, '**/node_modules/**'] },
  },
];
if (hasChromium) {
  // Not `extends: true`: that would concatenate the shared `include` (every *.test.ts) with ours.
  projects.push({
    resolve: shared.resolve,
    test: {
      name: 'chromium',
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
