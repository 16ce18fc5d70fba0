/**
 * The examples run as tests: each test imports an example's `run()` (resolved to the workspace
 * packages' TypeScript sources, like every other package's tests) and checks what it computed.
 * WebGPU through Dawn + SwiftShader needs its environment set here, before workers start.
 */
import { annlabVitestConfig, configureWebGpuEnvironment } from '../vitest.shared.js';

configureWebGpuEnvironment();

export default annlabVitestConfig(import.meta.dirname, {
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000 },
});
