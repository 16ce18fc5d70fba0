/**
 * Every ```ts block of README.md runs as written: each block is a module importing from
 * '@annlab/core'; the test writes it to a temporary .ts file with that import pointed at this
 * package's source (src/index.ts), imports it, and removes the file. `console.assert` throws while
 * the blocks run, so a block's `console.assert(...)` checks fail the test; `console.log` is silenced.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
const source = pathToFileURL(join(import.meta.dirname, 'index.ts')).href;

/** The block as a module bound to this package's source. */
function runnable(code: string): string {
  return code.replaceAll("from '@annlab/core';", `from ${JSON.stringify(source)};`);
}

/** The first line of a block, for the test name. */
function title(code: string, i: number): string {
  const first = code.split('\n').find((l) => l.startsWith('// '));
  return `block ${i + 1}${first ? `: ${first.slice(3)}` : ''}`;
}

describe('README examples', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'annlab-core-readme-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it('has its examples, each importing only from @annlab/core', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const code of blocks) {
      for (const m of code.matchAll(/from '([^']+)';/g)) expect(m[1]).toBe('@annlab/core');
    }
  });

  blocks.forEach((code, i) => {
    it(title(code, i), async () => {
      vi.spyOn(console, 'log').mockImplementation(() => {});
      vi.spyOn(console, 'assert').mockImplementation((ok?: unknown, ...msg: unknown[]) => {
        if (!ok) throw new Error(`README block ${i + 1}: console.assert failed: ${msg.join(' ')}`);
      });
      const file = join(dir, `block${i + 1}.ts`);
      writeFileSync(file, runnable(code));
      await expect(import(/* @vite-ignore */ pathToFileURL(file).href)).resolves.toBeDefined();
    });
  });
});
