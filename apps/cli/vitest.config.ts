import { annlabVitestConfig, configureWebGpuEnvironment } from '../../vitest.shared.js';

configureWebGpuEnvironment();

export default annlabVitestConfig(import.meta.dirname, {
  test: { testTimeout: 120_000 },
});
