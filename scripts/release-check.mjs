#!/usr/bin/env node
// Release check without publishing: build, pack each library, publint + attw on the tarballs,
// changeset status, LICENSE and metadata of each tarball, and a dry-run publish. Exits non-zero on the first failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages, root } from './published.mjs';

const packDir = join(root, '.pack');
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
};

const published = publishedPackages().map((p) => p.name);
const filters = published.flatMap((name) => ['--filter', name]);

function step(label, cmd, args, opts = {}) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`release-check: ${label} failed (exit ${r.status})`);
    process.exit(1);
  }
}

step('changesets cover every changed package', 'node', ['scripts/check-changesets.mjs']);
step('build the libraries', 'pnpm', ['exec', 'turbo', 'run', 'build', ...filters]);
rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir);
step('pack each library', 'pnpm', ['-r', ...filters, 'pack', '--pack-destination', packDir]);
const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
if (tarballs.length !== published.length) {
  console.error(
    `release-check: expected ${published.length} library tarballs, got ${tarballs.join(', ')}`,
  );
  process.exit(1);
}
for (const t of tarballs) {
  step(`publint ${t}`, 'pnpm', ['exec', 'publint', '--strict', join(packDir, t)]);
  step(`attw ${t}`, 'pnpm', ['exec', 'attw', '--profile', 'esm-only', join(packDir, t)]);
}
step('changeset status', 'pnpm', ['exec', 'changeset', 'status']);
step('LICENSE in every tarball', 'node', ['scripts/check-tarballs.mjs', packDir]);
step('dry-run publish (pnpm release --dry-run)', 'node', [
  'scripts/release.mjs',
  '--dry-run',
  '--no-build',
]);
console.log('\nrelease-check: ok');
