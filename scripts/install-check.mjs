#!/usr/bin/env node
// The packages as users get them (issue #16): packs every published package, installs the tarballs
// with npm into a scratch project outside the workspace (no workspace links; registry dependencies
// from the registry), then, in that project:
//   1. a Node ESM script using core, train and plot (scripts/install-check/esm.mjs);
//   2. a CommonJS require of the ESM-only packages (cjs.cjs);
//   3. tsc --noEmit (strict, NodeNext) on a TypeScript file using the public types (types.ts);
//   4. the CLI through its installed bin (`annlab --version`, `annlab fit … --json`);
//   5. a Vite page importing @annlab/core and @annlab/gpu (web/), built and loaded in headless
//      Chromium (skipped with a message where Chromium is missing, unless CI is set);
//   6. every ```ts block of the published packages' READMEs and of the docs' five-minute starts, as written (esbuild strips the types),
//      in Node, or in Chromium when it uses the DOM.
// Options: --no-build (the packages are built), --keep (leave the scratch project and print it).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { publishedPackages, root } from './published.mjs';

const keep = process.argv.includes('--keep');
const build = !process.argv.includes('--no-build');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
};
// WebGPU in Node without a GPU: SwiftShader's Vulkan driver, as the READMEs tell Linux users.
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!env.VK_ICD_FILENAMES && existsSync(swiftshader)) env.VK_ICD_FILENAMES = swiftshader;
const packages = publishedPackages();
const fixtures = join(root, 'scripts/install-check');
const failures = [];
const t0 = Date.now();

function run(label, cmd, args, opts = {}) {
  console.log(`\n▶ install-check: ${label}`);
  const r = spawnSync(cmd, args, {
    env,
    timeout: 180_000,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (output) console.log(output.split('\n').slice(-30).join('\n'));
  if (r.status !== 0) failures.push(`${label} (exit ${r.status ?? r.signal})`);
  return { ok: r.status === 0, stdout: r.stdout ?? '' };
}

if (build) {
  const filters = packages.flatMap(({ name }) => ['--filter', name]);
  const r = run(
    'build the published packages',
    'pnpm',
    ['exec', 'turbo', 'run', 'build', ...filters],
    { cwd: root },
  );
  if (!r.ok) process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'annlab-install-'));
const tarballs = join(scratch, 'tarballs');
mkdirSync(tarballs);
const pack = run(
  'pack',
  'pnpm',
  [
    '-r',
    ...packages.flatMap(({ name }) => ['--filter', name]),
    'pack',
    '--pack-destination',
    tarballs,
  ],
  { cwd: root },
);
if (!pack.ok) process.exit(1);
const dependencies = { '@types/node': '^20.19.0' };
for (const { name, pkg } of packages) {
  const file = `${name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`;
  if (!existsSync(join(tarballs, file))) {
    console.error(`install-check: pnpm pack left no ${file}`);
    process.exit(1);
  }
  dependencies[name] = `file:tarballs/${file}`;
}
writeFileSync(
  join(scratch, 'package.json'),
  `${JSON.stringify({ name: 'annlab-install-check', private: true, type: 'module', dependencies }, null, 2)}\n`,
);
cpSync(fixtures, scratch, { recursive: true });
const install = run(
  'npm install (tarballs + registry dependencies)',
  'npm',
  ['install', '--no-audit', '--no-fund', '--loglevel=error'],
  { cwd: scratch },
);
if (!install.ok) process.exit(1);
// Nothing may resolve to the workspace: every @annlab package is a real folder in the scratch project.
for (const { name } of packages) {
  const dir = join(scratch, 'node_modules', name);
  if (!existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'src/index.test.ts'))) {
    failures.push(`${name} is not installed from its tarball in ${dir}`);
  }
}

run('Node ESM script (core, train, plot)', process.execPath, ['esm.mjs'], { cwd: scratch });
run('CommonJS require', process.execPath, ['cjs.cjs'], { cwd: scratch });
run(
  'tsc --noEmit on the public types',
  process.execPath,
  [
    join(root, 'node_modules/typescript/bin/tsc'),
    '--noEmit',
    '--strict',
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    '--target',
    'es2022',
    '--lib',
    'es2023,dom',
    '--types',
    'node',
    'types.ts',
  ],
  { cwd: scratch },
);
const bin = join(scratch, 'node_modules/.bin/annlab');
const version = run('annlab --version (installed bin)', bin, ['--version'], { cwd: scratch });
if (
  version.ok &&
  !version.stdout.includes(packages.find((p) => p.name === '@annlab/cli').pkg.version)
) {
  failures.push(`annlab --version printed ${JSON.stringify(version.stdout.trim())}`);
}
const fitRun = run(
  'annlab fit --json (installed bin)',
  bin,
  [
    'fit',
    '--target',
    '-3x + 2',
    '--domain',
    '0.5,3',
    '--points',
    '40',
    '--depth',
    '2',
    '--epochs',
    '20',
    '--json',
  ],
  { cwd: scratch },
);
if (fitRun.ok) {
  try {
    JSON.parse(fitRun.stdout);
  } catch {
    failures.push('annlab fit --json did not print JSON');
  }
}

// README blocks: ```ts blocks of each published package's README, types stripped by esbuild.
const esbuild = createRequire(join(root, 'bench/package.json'))('esbuild');
const browserBlocks = [];
const readmeDir = join(scratch, 'readme');
mkdirSync(readmeDir);
const docs = [
  ...packages.map(({ name, dir }) => ({ name, file: join(root, dir, 'README.md') })),
  ...['start-node', 'start-browser'].map((n) => ({
    name: n,
    file: join(root, `docs/pages/${n}.md`),
  })),
];
for (const { name, file } of docs) {
  if (!existsSync(file)) continue;
  const blocks = [...readFileSync(file, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  blocks.forEach((code, i) => {
    const label = `${name} README block ${i + 1}`;
    const js = esbuild.transformSync(code, { loader: 'ts', format: 'esm', target: 'es2022' }).code;
    const out = join(readmeDir, `${name.replace('@annlab/', '')}-${i + 1}.mjs`);
    writeFileSync(out, js);
    if (/\bdocument\./.test(code)) browserBlocks.push({ label, file: out });
    else if (/requestGpu\(/.test(code)) linkOnly(label, out);
    else run(label, process.execPath, [out], { cwd: readmeDir });
  });
}

/**
 * Blocks that train on WebGPU (10⁴ networks for 500 epochs) take hours on a CPU-emulated adapter:
 * they are bundled against the installed packages (every import must resolve to a real export) but
 * not run here; the workspace's readme tests of gpu and train run them at test sizes.
 */
function linkOnly(label, file) {
  console.log(`\n▶ install-check: ${label} (WebGPU training: imports resolved, not run)`);
  try {
    esbuild.buildSync({
      entryPoints: [file],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      external: ['webgpu', '@resvg/resvg-js'],
      logLevel: 'silent',
      absWorkingDir: readmeDir,
    });
  } catch (e) {
    failures.push(`${label}: ${(e.errors ?? []).map((x) => x.text).join('; ') || e.message}`);
  }
}

// The Vite page and the browser README blocks, in headless Chromium.
const vite = join(
  dirname(createRequire(join(root, 'apps/demo/package.json')).resolve('vite/package.json')),
  'bin/vite.js',
);
const webDir = join(scratch, 'web');
for (const { label, file } of browserBlocks) {
  const page = `${label.replace(/\W+/g, '-')}.html`;
  cpSync(file, join(webDir, `${page}.js`));
  writeFileSync(
    join(webDir, page),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><div id="app"></div><div id="loss"></div><div id="chart"></div><script type="module">\nimport './${page}.js';\ndocument.body.dataset.state = 'ok';\n</script>\n`,
  );
}
const pages = [
  'index.html',
  ...readdirSync(webDir).filter((f) => f.endsWith('.html') && f !== 'index.html'),
];
writeFileSync(
  join(webDir, 'vite.config.mjs'),
  `export default { build: { target: 'es2022', rollupOptions: { input: ${JSON.stringify(pages)} } }, logLevel: 'warn' };\n`,
);
const viteBuild = run(
  'vite build of a page importing @annlab/core and @annlab/gpu',
  process.execPath,
  [vite, 'build'],
  { cwd: webDir },
);
if (viteBuild.ok) {
  if (!existsSync(CHROMIUM)) {
    const msg = `no Chromium at ${CHROMIUM}: browser checks skipped`;
    if (process.env.CI) failures.push(msg);
    else console.log(`install-check: ${msg}`);
  } else {
    await browserChecks(join(webDir, 'dist'), pages);
  }
}

async function browserChecks(distDir, htmlPages) {
  const { chromium } = createRequire(join(root, 'apps/demo/package.json'))('playwright-core');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = join(distDir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(distDir) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--enable-unsafe-webgpu',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    for (const page of htmlPages) {
      const label = `Chromium: ${page}`;
      console.log(`\n▶ install-check: ${label}`);
      const tab = await browser.newPage();
      const errors = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      try {
        await tab.goto(`${base}/${page}`);
        await tab.waitForSelector('body[data-state="ok"]', { timeout: 30_000 });
        if (page === 'index.html') console.log(await tab.textContent('#out'));
        if (errors.length > 0) failures.push(`${label}: ${errors.join('; ')}`);
      } catch (e) {
        failures.push(`${label}: ${errors.join('; ') || e.message}`);
      }
      await tab.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

console.log(
  `\ninstall-check: ${((Date.now() - t0) / 1000).toFixed(0)} s, scratch project ${scratch}`,
);
if (keep) console.log('install-check: kept (--keep)');
else rmSync(scratch, { recursive: true, force: true });
for (const f of failures) console.error(`install-check: ✗ ${f}`);
if (failures.length > 0) process.exit(1);
console.log('install-check: ok');
