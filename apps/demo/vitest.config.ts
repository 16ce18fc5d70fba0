import { annlabVitestConfig } from '../../vitest.shared.js';

// Unit tests run in Node (src/**/*.test.ts); the e2e tests (test/*.test.ts) build the app, serve it
// and drive Debian's Chromium through playwright-core.
export default annlabVitestConfig(import.meta.dirname, {
  test: { testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false },
});
