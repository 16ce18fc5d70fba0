import { annlabVitestConfig } from '../vitest.shared.js';

// The examples run as plain Node scripts against the built packages (dist), as a user runs them.
export default annlabVitestConfig(import.meta.dirname, { test: { testTimeout: 120_000 } });
