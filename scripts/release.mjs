#!/usr/bin/env node
// `pnpm release`: version, build, publish.
//
//   pnpm release             changeset version (bumps the fixed group, writes CHANGELOGs), commits
//                            "Release vX.Y.Z", builds the published packages, `changeset publish`
//                            (needs an npm token; creates the git tags; push them yourself).
//   pnpm release --dry-run   nothing is versioned, committed or published: builds, then
//                            `pnpm publish -r --dry-run` of every published package (CI runs this
//                            through scripts/release-check.mjs).
//   --no-build               skip the build (release-check has just built).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages, root } from './published.mjs';

const dryRun = process.argv.includes('--dry-run');
const build = !process.argv.includes('--no-build');
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
};
const packages = publishedPackages();
const filters = packages.flatMap(({ name }) => ['--filter', name]);

function step(label, cmd, args) {
  console.log(`\n▶ release: ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`release: ${label} failed (exit ${r.status})`);
    process.exit(1);
  }
}

if (!dryRun) {
  step('version (changeset version)', 'pnpm', ['exec', 'changeset', 'version']);
  const version = JSON.parse(
    readFileSync(join(root, 'packages/core/package.json'), 'utf8'),
  ).version;
  step('stage the version bump', 'git', ['add', '-A']);
  step(`commit "Release v${version}"`, 'git', ['commit', '-m', `Release v${version}`]);
}
if (build) step('build', 'pnpm', ['exec', 'turbo', 'run', 'build', ...filters]);
if (dryRun) {
  // Without --force pnpm spends minutes asking the registry which versions exist.
  step('publish (dry run)', 'pnpm', [
    'publish',
    '-r',
    ...filters,
    '--dry-run',
    '--no-git-checks',
    '--force',
  ]);
  console.log(`\nrelease: dry run ok (${packages.map((p) => p.name).join(', ')})`);
} else {
  step('publish (changeset publish)', 'pnpm', ['exec', 'changeset', 'publish']);
  console.log('\nrelease: published; push the commit and tags: git push --follow-tags');
}
