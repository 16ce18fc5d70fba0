/**
 * Vite config of the demo. Workspace packages are consumed from their TypeScript sources (the
 * `@annlab/source` export condition), so no library build is needed; the training worker is an ES
 * module worker.
 *
 * The dev server, `vite preview` and the built site (public/_headers) send COOP/COEP, so that the
 * page is cross-origin isolated: `SharedArrayBuffer` and training threads need it. Every resource
 * the demo loads (KaTeX's fonts and CSS included) is bundled and same-origin, so COEP blocks nothing.
 */
import { defineConfig } from 'vite';

/** The headers that make the page cross-origin isolated (also in public/_headers). */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  resolve: { conditions: ['@annlab/source', 'module', 'browser', 'development|production'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
});
