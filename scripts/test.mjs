#!/usr/bin/env node
// The one test command: lint, type-check and test every workspace package, then print the
// closing line CI reads: `N passed, N failed, N skipped`. Exits non-zero on any failure, on a
// package whose test run left no report, or when lint or type-check fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
};

function workspaces() {
  const dirs = [];
  for (const group of ['packages', 'apps', '.']) {
    const base = join(root, group);
    const names = group === '.' ? ['bench', 'examples'] : existsSync(base) ? readdirSync(base) : [];
    for (const name of names) {
      const dir = join(base, name);
      const pkgFile = join(dir, 'package.json');
      if (!existsSync(pkgFile)) continue;
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      if (pkg.scripts?.test) dirs.push({ dir, name: pkg.name });
    }
  }
  return dirs;
}

function run(label, cmd, args) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  return r.status === 0;
}

const packages = workspaces();
for (const { dir } of packages) rmSync(join(dir, 'reports'), { recursive: true, force: true });

const lintOk = run('lint', 'pnpm', ['exec', 'biome', 'ci', '--error-on-warnings', '.']);
const turboOk = run('typecheck and test', 'pnpm', [
  'exec',
  'turbo',
  'run',
  'typecheck',
  'test',
  '--continue',
  '--concurrency=1',
  ...process.argv.slice(2).filter((a) => a !== '--no-gates'),
]);

// Release gates: every changed library has a changeset, the API reference builds without warnings,
// the bundle and the demo's first screen stay within their size budgets, and the packed libraries pass publint/attw and a dry-run
// publish, and the tarballs work when installed with npm outside the workspace (ESM, CommonJS, tsc, the
// CLI's bin, a Vite page in Chromium, the README blocks). Each is a separate command so a failure names itself.
const gates = [
  ['changesets', 'node', ['scripts/check-changesets.mjs']],
  ['api reference (typedoc, warnings are errors)', 'pnpm', ['exec', 'typedoc']],
  ['bundle size budget', 'pnpm', ['--filter', '@annlab/bench', 'run', 'size']],
  [
    'demo size budget (≤ 150 KB gzipped before chapter 1 is interactive)',
    'node',
    ['scripts/demo-size.mjs'],
  ],
  ['release check', 'node', ['scripts/release-check.mjs']],
  [
    'API reports (after an intended API change: pnpm api:update)',
    'node',
    ['scripts/api-report.mjs', '--check', '--no-build'],
  ],
  [
    'install check (tarballs installed with npm in a scratch project)',
    'node',
    ['scripts/install-check.mjs', '--no-build'],
  ],
  ['docs site (pnpm docs, links, Chromium smoke)', 'node', ['scripts/docs-check.mjs']],
];
const failedGates = [];
if (!process.argv.includes('--no-gates')) {
  for (const [label, cmd, args] of gates) if (!run(label, cmd, args)) failedGates.push(label);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];
console.log('\nTest reports:');
for (const { dir, name } of packages) {
  const file = join(dir, 'reports', 'vitest.json');
  if (!existsSync(file)) {
    problems.push(`${name}: no test report (${file})`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const p = report.numPassedTests ?? 0;
  const f = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`  ${name.padEnd(24)} ${p} passed, ${f} failed, ${s} skipped`);
  passed += p;
  failed += f;
  skipped += s;
  if (report.success === false && f === 0) problems.push(`${name}: vitest reported failure`);
}
if (!lintOk) problems.push('lint failed (biome ci)');
if (!turboOk) problems.push('type-check or tests failed (see turbo output above)');
for (const gate of failedGates) problems.push(`${gate} failed`);
for (const problem of problems) console.log(`  ✗ ${problem}`);
if (problems.length > 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
