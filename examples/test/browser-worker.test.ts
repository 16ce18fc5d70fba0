import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { describe, expect, it } from 'vitest';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(executablePath);
const required = process.env.ANNLAB_REQUIRE_GPU === '1' || Boolean(process.env.CI);
if (!hasChromium) {
  const reason = `[examples] ${executablePath} not found: the browser-worker example is`;
  if (required) throw new Error(`${reason} required (CI or ANNLAB_REQUIRE_GPU=1)`);
  console.warn(`${reason} skipped`);
}

interface Result {
  error?: string;
  epoch: number;
  probe: number[];
  predicted: number[];
  expected: number[];
}

describe('examples/browser-worker', () => {
  it.skipIf(!hasChromium)(
    'the page trains sin(3x) in a module worker and the trained model predicts it',
    async () => {
      const root = join(import.meta.dirname, '..', 'browser-worker');
      const server = await createServer({
        configFile: join(root, 'vite.config.js'),
        server: { port: 0, strictPort: false },
        logLevel: 'warn',
      });
      await server.listen();
      const browser = await chromium.launch({
        executablePath,
        args: [
          '--disable-gpu',
          '--no-sandbox',
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
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        const url = server.resolvedUrls?.local[0];
        if (!url) throw new Error('vite did not report a local URL');
        await page.goto(url);
        await page.waitForFunction(() => 'exampleResult' in globalThis, undefined, {
          timeout: 90_000,
        });
        const r = (await page.evaluate(
          () => (globalThis as unknown as { exampleResult: unknown }).exampleResult,
        )) as Result;
        expect(r.error).toBeUndefined();
        expect(errors).toEqual([]);
        expect(r.epoch).toBe(300);
        expect(await page.textContent('#status')).toBe('done after 300 epochs');
        // 300 epochs of Adam on 100 points of sin(3x): within 0.1 of the target between grid points.
        expect(r.predicted).toBeAllclose(r.expected, { rtol: 0, atol: 0.1 });
      } finally {
        await browser.close();
        await server.close();
      }
    },
  );
});
