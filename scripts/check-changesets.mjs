#!/usr/bin/env node
// Fails when a published package changed since the last release and no pending changeset names it.
//
// "Since the last release" = since the newest commit that touched a published package's CHANGELOG.md
// (written by `changeset version`), or the whole history before the first release. A package counts as
// changed when a file under its folder (packages/<dir>/ or apps/<dir>/) other than tests, snapshots and its CHANGELOG changed.
// Pending changesets are the .changeset/*.md files other than README.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages, root } from './published.mjs';

const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

const published = new Map(); // dir (packages/core, apps/cli) → package name
for (const { dir, name } of publishedPackages()) published.set(dir, name);

let base = '';
try {
  base = git(
    'log',
    '-1',
    '--format=%H',
    '--',
    ...[...published.keys()].map((d) => `${d}/CHANGELOG.md`),
  );
} catch {
  base = '';
}
const range = base ? [`${base}..HEAD`] : ['HEAD'];
let files = [];
try {
  files = git('log', '--format=', '--name-only', ...range)
    .split('\n')
    .filter(Boolean);
} catch {
  console.log('check-changesets: no git history; nothing to check');
  process.exit(0);
}
// uncommitted changes count too
try {
  files.push(
    ...git('status', '--porcelain')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3)),
  );
} catch {}

const ignored = (f) =>
  /\.test\.ts$|\/test\/output\/|\/__snapshots__\/|CHANGELOG\.md$|\/docs\//.test(f);
const changed = new Set();
for (const f of files) {
  const m = /^((?:packages|apps)\/[^/]+)\//.exec(f);
  if (m && published.has(m[1]) && !ignored(f)) changed.add(published.get(m[1]));
}

const named = new Set();
const csDir = join(root, '.changeset');
for (const f of existsSync(csDir) ? readdirSync(csDir) : []) {
  if (!f.endsWith('.md') || f === 'README.md') continue;
  const text = readFileSync(join(csDir, f), 'utf8');
  const front = /^---\n([\s\S]*?)\n---/.exec(text);
  if (!front) {
    console.error(`check-changesets: .changeset/${f} has no front matter`);
    process.exit(1);
  }
  for (const line of front[1].split('\n')) {
    const m = /^\s*["']?(@?[^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/.exec(line);
    if (m) named.add(m[1]);
  }
}

const missing = [...changed].filter((name) => !named.has(name));
if (missing.length > 0) {
  console.error(
    `check-changesets: ${missing.join(', ')} changed since the last release (${base ? base.slice(0, 8) : 'start'}) ` +
      'but no .changeset/*.md names it. Write one by hand (see .changeset/README.md).',
  );
  process.exit(1);
}
console.log(
  `check-changesets: ok (${changed.size} changed package(s) since ${base ? base.slice(0, 8) : 'the first commit'}, all covered)`,
);
