/**
 * The exported model in onnxruntime-web (wasm backend) in headless Chromium: the browser runtime
 * users load in a page. Skipped with a printed reason when Chromium is absent (CI sets
 * CHROMIUM_PATH or has /usr/bin/chromium; `CI` turns a missing browser into a failure).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { initMlp, key, type MlpSpec } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MlpModel, predict } from '../model.js';
import { toOnnx } from './onnx.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// onnxruntime-web's main entry lives in its dist/ folder, next to the wasm builds the page loads.
const ortDist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
const haveChromium = existsSync(CHROMIUM);

const spec: MlpSpec = { sizes: [2, 16, 16, 1], activations: ['gelu', 'tanh', 'identity'] };
const model: MlpModel = {
  kind: 'mlp',
  spec,
  params: Float64Array.from(initMlp(spec, key(21)), (v) => 3 * v),
  normalization: {
    x: { mean: Float64Array.of(1, -2), std: Float64Array.of(0.5, 2) },
    y: { mean: Float64Array.of(0.5), std: Float64Array.of(3) },
  },
};
const r = seeded(4);
const x = Float64Array.from({ length: 2000 }, () => 4 * r.uniform() - 2);

const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module">
import * as ort from '/ort/ort.wasm.min.mjs';
ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = '/ort/';
const bytes = new Uint8Array(await (await fetch('/model.onnx')).arrayBuffer());
const x = await (await fetch('/x.json')).json();
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), [x.length / 2, 2]) });
window.__result = Array.from(out.y.data);
</script>`;

const TYPES: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

describe.skipIf(!haveChromium && !process.env.CI)(
  'toOnnx in onnxruntime-web (Chromium, wasm)',
  () => {
    let server: Server;
    let base = '';
    beforeAll(async () => {
      const onnx = toOnnx(model);
      server = createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (path === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
        else if (path === '/model.onnx') res.writeHead(200).end(onnx);
        else if (path === '/x.json') res.writeHead(200).end(JSON.stringify(Array.from(x)));
        else if (path.startsWith('/ort/') && !path.includes('..')) {
          const file = join(ortDist, path.slice(5));
          if (!existsSync(file)) res.writeHead(404).end();
          else
            res
              .writeHead(200, {
                'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
              })
              .end(readFileSync(file));
        } else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(() => server?.close());

    it('gives predict’s outputs on 1,000 raw inputs within 1e-5 relative (float32)', async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(base);
        await page.waitForFunction(() => '__result' in globalThis, undefined, { timeout: 60_000 });
        const y = Float64Array.from(
          (await page.evaluate(
            () => (globalThis as unknown as { __result: number[] }).__result,
          )) as number[],
        );
        expect(errors).toEqual([]);
        const expected = predict(model, x);
        let scale = 0;
        for (const v of expected) scale = Math.max(scale, Math.abs(v));
        // as in onnx.test.ts: 1e-5 relative, with an absolute floor of 1e-5 × the largest |output|
        expect(y).toBeAllclose(expected, { rtol: 1e-5, atol: 1e-5 * scale });
      } finally {
        await browser.close();
      }
    }, 120_000);
  },
);
