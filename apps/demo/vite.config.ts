/**
 * Vite config of the demo. Workspace packages are consumed from their TypeScript sources (the
 * `@annlab/source` export condition), so no library build is needed; the training worker is an ES
 * module worker.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  resolve: { conditions: ['@annlab/source', 'module', 'browser', 'development|production'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1' },
});
