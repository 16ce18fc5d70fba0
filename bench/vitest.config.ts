import { annlabVitestConfig } from '../vitest.shared.js';

export default annlabVitestConfig(import.meta.dirname);
