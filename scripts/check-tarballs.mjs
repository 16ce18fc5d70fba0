#!/usr/bin/env node
// Checks the packed tarballs in the folder given: each holds LICENSE (MIT) and package.json with
// "license": "MIT", no placeholder hosts (example.invalid, example.com) and no "workspace:"
// ranges; a package with "bin" ships the bin files.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('check-tarballs: usage: node scripts/check-tarballs.mjs <folder of .tgz>');
  process.exit(2);
}
const problems = [];
const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
for (const t of tarballs) {
  const file = join(dir, t);
  const list = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n');
  if (!list.includes('package/LICENSE')) problems.push(`${t}: no LICENSE`);
  else {
    const text = execFileSync('tar', ['-xzOf', file, 'package/LICENSE'], { encoding: 'utf8' });
    if (!text.startsWith('MIT License')) problems.push(`${t}: LICENSE is not the MIT license`);
  }
  const raw = execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' });
  const pkg = JSON.parse(raw);
  if (pkg.license !== 'MIT') problems.push(`${t}: "license" is ${JSON.stringify(pkg.license)}`);
  if (/example\.(invalid|com|org)/.test(raw))
    problems.push(`${t}: placeholder URL in package.json`);
  if (/"workspace:/.test(raw)) problems.push(`${t}: a "workspace:" range survived packing`);
  for (const bin of Object.values(
    typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {}),
  )) {
    if (!list.includes(`package/${bin.replace(/^\.\//, '')}`))
      problems.push(`${t}: bin ${bin} missing`);
  }
}
for (const p of problems) console.error(`check-tarballs: ${p}`);
if (problems.length > 0 || tarballs.length === 0) process.exit(1);
console.log(`check-tarballs: ok (${tarballs.length} tarballs)`);
