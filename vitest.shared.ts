/**
 * Shared vitest configuration for every workspace package.
 *
 * - Resolves `@annlab/*` packages to their TypeScript sources (the `@annlab/source` export condition),
 *   so tests and type checks never need a prior build.
 * - Writes a JSON report to `reports/vitest.json` in the package; `scripts/test.mjs` sums them into the
 *   closing `N passed, N failed` line that CI reads.
 * - Registers the shared matchers (`toBeAllclose`) from `@annlab/test-utils`.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Environment for WebGPU through Dawn; must be set in the main process before workers start. */
export function configureWebGpuEnvironment(): void {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  if (!process.env.XDG_RUNTIME_DIR || !existsSync(process.env.XDG_RUNTIME_DIR)) {
    process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'annlab-xdg-'));
  }
}

export function annlabVitestConfig(
  packageDir: string,
  overrides: ViteUserConfig = {},
): ViteUserConfig {
  const base = defineConfig({
    resolve: { conditions: ['@annlab/source', 'module', 'browser', 'development|production'] },
    ssr: {
      resolve: { conditions: ['@annlab/source', 'module', 'node', 'development|production'] },
    },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: [resolve(root, 'packages/test-utils/src/setup.ts')],
      reporters: ['default', 'json'],
      outputFile: { json: resolve(packageDir, 'reports/vitest.json') },
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
  return mergeConfig(base, overrides);
}
