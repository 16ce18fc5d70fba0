// The workspace packages that are published to npm: every package.json under packages/ and apps/
// without "private": true. Shared by the release scripts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** { name, dir } of each published package, dir relative to the root (e.g. `packages/core`). */
export function publishedPackages() {
  const out = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const file = join(root, group, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (!pkg.private) out.push({ name: pkg.name, dir: `${group}/${name}`, pkg });
    }
  }
  return out;
}
