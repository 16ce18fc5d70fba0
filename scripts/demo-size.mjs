#!/usr/bin/env node
// Demo size budget (issue #16): the JavaScript a visitor downloads before the first chapter is
// interactive, gzipped (level 9), must stay ≤ 150 KB.
//
// Builds apps/demo with Vite's manifest into a scratch folder, then sums the entry chunk (index.html's
// script) with every chunk it imports statically, the first chapter's chunk (chapters/1-neuron.ts,
// loaded by the router on the first screen) with its static imports, and any worker script those
// chunks start. Prints each chunk and exits 1 over budget, 2 when the build fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 150 * 1024;
const FIRST_CHAPTER = 'src/chapters/1-neuron.ts';

const root = new URL('..', import.meta.url).pathname;
const demo = join(root, 'apps/demo');
const out = mkdtempSync(join(tmpdir(), 'annlab-demo-size-'));
try {
  const r = spawnSync(
    'pnpm',
    ['exec', 'vite', 'build', '--manifest', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: demo, stdio: 'inherit' },
  );
  if (r.status !== 0) {
    console.error('demo-size: the demo build failed');
    process.exit(2);
  }
  const manifest = JSON.parse(readFileSync(join(out, '.vite/manifest.json'), 'utf8'));
  const entry = Object.values(manifest).find((c) => c.isEntry);
  const chapter = manifest[FIRST_CHAPTER];
  if (!entry || !chapter) {
    console.error(`demo-size: no entry chunk or no chunk for ${FIRST_CHAPTER} in the manifest`);
    process.exit(2);
  }
  const files = new Set();
  const visit = (key) => {
    const c = manifest[key] ?? Object.values(manifest).find((v) => v === key);
    if (!c || files.has(c.file)) return;
    files.add(c.file);
    for (const i of c.imports ?? []) visit(i);
  };
  visit(Object.keys(manifest).find((k) => manifest[k] === entry));
  visit(FIRST_CHAPTER);
  // Worker scripts are not in the manifest's import graph: find the ones these chunks reference.
  for (const f of [...files]) {
    const code = readFileSync(join(out, f), 'utf8');
    for (const m of code.matchAll(/[\w.-]+\.worker-[\w-]+\.js/g)) files.add(`assets/${m[0]}`);
  }
  let total = 0;
  const rows = [...files].sort().map((f) => {
    const gz = gzipSync(readFileSync(join(out, f)), { level: 9 }).length;
    total += gz;
    return `  ${f.padEnd(44)} ${(gz / 1024).toFixed(2).padStart(8)} KB`;
  });
  console.log(`demo-size: JavaScript before the first chapter is interactive (gzipped):`);
  console.log(rows.join('\n'));
  const ok = total <= BUDGET_BYTES;
  console.log(
    `demo-size: ${(total / 1024).toFixed(2)} KB of ${(BUDGET_BYTES / 1024).toFixed(0)} KB ${ok ? 'ok' : 'OVER BUDGET'}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
