// Serves or builds the browser example. `base: './'` keeps the built page working from any
// sub-path (the docs site copies it under /examples/browser-worker/). Inside this repository the
// packages resolve to their TypeScript sources (the `@annlab/source` condition); a project using the
// published packages needs no `resolve` block.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  resolve: { conditions: ['@annlab/source', 'module', 'browser', 'development|production'] },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1' },
});
