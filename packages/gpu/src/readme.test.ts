/**
 * Runs the README's Node examples (every ```ts block) at smaller sizes, so the README stays real
 * code: imports are bound to the actual modules, sizes are shrunk by exact text substitutions
 * (each must still be found), and `console.log` output is captured.
 */
import { readFileSync } from 'node:fs';
import * as core from '@annlab/core';
import { expect, it } from 'vitest';
import * as gpuApi from './index.js';
import { describeGpu } from './test-helpers/gpu.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const modules: Record<string, unknown> = { '@annlab/core': core, '@annlab/gpu': gpuApi };

/** The README code as an async function body: `import { a, b } from 'm'` → `const { a, b } = m`. */
function runnable(code: string): string {
  return code.replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, names: string, mod: string) => {
    if (!(mod in modules)) throw new Error(`README imports unknown module ${mod}`);
    return `const {${names}} = __modules[${JSON.stringify(mod)}];`;
  });
}

function shrink(code: string, subs: readonly [string, string][]): string {
  let out = code;
  for (const [from, to] of subs) {
    expect(out, `README example no longer contains ${from}`).toContain(from);
    out = out.replaceAll(from, to);
  }
  return out;
}

async function run(code: string): Promise<unknown[][]> {
  const logs: unknown[][] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  const f = new AsyncFunction('__modules', 'console', runnable(code));
  await f(modules, { log: (...a: unknown[]) => logs.push(a) });
  return logs;
}

describeGpu('README examples', () => {
  it('has the two Node examples and the browser one (run in Chromium by scripts/install-check.mjs)', () => {
    expect(blocks.length).toBe(3);
    expect(blocks[2]).toContain('document.body');
  });

  it('runs the MLP trainer example (2→8→8→8→1, 64 rows, 2×2 steps)', async () => {
    const code = shrink(blocks[0]!, [
      ['[2, 256, 256, 256, 1]', '[2, 8, 8, 8, 1]'],
      ['const n = 4096;', 'const n = 64;'],
      ['i < 10;', 'i < 2;'],
      ['trainer.step(10)', 'trainer.step(2)'],
    ]);
    const logs = await run(code);
    expect((logs[0]![0] as { source: string }).source).toBe('webgpu-npm');
    const losses = logs.slice(1, 3).map((l) => l[0] as number);
    for (const l of losses) expect(Number.isFinite(l)).toBe(true);
    // 2·8 + 8 + 2·(8·8 + 8) + 8 + 1 parameters.
    expect(logs[3]![0] as number).toBeAllclose(177, { rtol: 0, atol: 0 });
  });

  it('runs the W6 example (6 networks, 2 epochs, shuffled per epoch)', async () => {
    const code = shrink(blocks[1]!, [
      ['split(key(0), 10_000)', 'split(key(0), 6)'],
      ['epochs: 500,', 'epochs: 2,'],
    ]);
    const logs = await run(code);
    expect(String(logs[0]![0])).toMatch(/^6 networks in \d+\.\d s, loss of network 0: \d/);
  });
});
