#!/usr/bin/env node
// The documentation site's gate (a step of `pnpm test`): build it (`pnpm docs`), then
//   1. links: every relative href/src in every HTML page of docs/site/ names a file of the site, and
//      every #anchor an id (or name) in the target page. External URLs are counted, never fetched.
//   2. smoke: headless Chromium opens the start page, a guide, the API index, the demo and the
//      worker example (which must finish training) from a local static server, under a sub-path;
//      each must load without console errors, page errors, failed requests or requests leaving
//      the machine, and show its title.
// Without Chromium the smoke test is skipped with a printed reason (a failure in CI or with
// ANNLAB_REQUIRE_GPU=1).
//
//   node scripts/docs-check.mjs [--no-build] [--no-smoke]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, posix, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const site = join(root, 'docs', 'site');
const args = new Set(process.argv.slice(2));

if (!args.has('--no-build')) {
  const r = spawnSync('node', ['scripts/docs-site.mjs'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('docs-check: the site did not build');
    process.exit(1);
  }
}
if (!existsSync(join(site, 'index.html'))) {
  console.error(`docs-check: ${relative(root, site)}/index.html is missing; run pnpm docs`);
  process.exit(1);
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

const decode = (s) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<');

/** Site path (posix, relative to the site) → the ids and names its HTML declares. */
const anchors = new Map();
function anchorsOf(page) {
  let ids = anchors.get(page);
  if (!ids) {
    const html = readFileSync(join(site, page), 'utf8');
    ids = new Set();
    for (const m of html.matchAll(/\s(?:id|name)="([^"]*)"/g)) ids.add(decode(m[1]));
    anchors.set(page, ids);
  }
  return ids;
}

/** Checks every page; returns the problems as `page: link → why`. */
export function checkLinks() {
  const problems = [];
  let checked = 0;
  let external = 0;
  const pages = [...walk(site)]
    .filter((f) => f.endsWith('.html'))
    .map((f) => relative(site, f).split(sep).join('/'));
  for (const page of pages) {
    const html = readFileSync(join(site, page), 'utf8');
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const link = decode(m[1]);
      if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//')) {
        if (/^(https?:)?\/\//i.test(link)) external++;
        continue; // data:, mailto:, https:, … are not files of the site
      }
      checked++;
      const [pathAndQuery, hash] = link.split('#', 2);
      const path = decodeURIComponent(pathAndQuery.split('?')[0]);
      if (path.startsWith('/')) {
        problems.push(`${page}: ${link} → root-absolute; the site must work from a sub-path`);
        continue;
      }
      let target = path === '' ? page : posix.normalize(posix.join(posix.dirname(page), path));
      if (target.startsWith('..')) {
        problems.push(`${page}: ${link} → outside the site`);
        continue;
      }
      const abs = join(site, target);
      if (existsSync(abs) && statSync(abs).isDirectory()) target = posix.join(target, 'index.html');
      if (!existsSync(join(site, target))) {
        problems.push(`${page}: ${link} → ${target} does not exist`);
        continue;
      }
      if (hash && target.endsWith('.html') && !anchorsOf(target).has(decodeURIComponent(hash))) {
        problems.push(`${page}: ${link} → no id "${hash}" in ${target}`);
      }
    }
  }
  console.log(
    `docs-check links: ${pages.length} pages, ${checked} relative links and anchors checked, ${external} external links not fetched`,
  );
  return problems;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv',
};

function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let file = join(site, decodeURIComponent(url.pathname));
    if (!file.startsWith(site)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The pages the smoke test opens: site path, and a pattern the page's title must match. */
const SMOKE = [
  { path: 'index.html', title: /^annlab documentation$/, heading: 'annlab' },
  { path: 'guides/train.html', title: /^@annlab\/train · annlab$/, heading: '@annlab/train' },
  { path: 'api/index.html', title: /annlab/, heading: 'annlab' },
  { path: 'demo/index.html', title: /annlab demo$/, heading: null },
  // The built worker example: its module worker must load from the sub-path and finish training.
  {
    path: 'examples/browser-worker/index.html',
    title: /^annlab: training in a Web Worker$/,
    heading: 'training in a Web Worker',
    done: { selector: '#status', text: /^done after 300 epochs$/ },
  },
];

async function smoke() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const required = process.env.ANNLAB_REQUIRE_GPU === '1' || Boolean(process.env.CI);
  if (!existsSync(executablePath)) {
    const reason = `docs-check smoke: ${executablePath} not found`;
    if (required) return [`${reason} (required in CI or with ANNLAB_REQUIRE_GPU=1)`];
    console.warn(`${reason}: the Chromium smoke test is skipped`);
    return [];
  }
  const { chromium } = await import('playwright-core');
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  // A sub-path, as on a project site: relative links and the demo's base './' must cope.
  const base = `${origin}/annlab/`;
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--enable-unsafe-webgpu',
      '--disable-gpu',
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const problems = [];
  try {
    const context = await browser.newContext();
    // Serve /annlab/… from the site; anything else (another host, or outside the sub-path) fails.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(base)) {
        const response = await route.fetch({ url: `${origin}/${url.slice(base.length)}` });
        await route.fulfill({ response });
      } else if (url.startsWith('data:') || url.startsWith('blob:')) {
        await route.continue();
      } else {
        problems.push(`request outside the site: ${url}`);
        await route.abort();
      }
    });
    for (const { path, title, heading, done } of SMOKE) {
      const page = await context.newPage();
      const errors = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => errors.push(`failed request: ${r.url()}`));
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
      });
      await page.goto(base + path, { waitUntil: 'load', timeout: 60_000 });
      await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => {});
      const shown = await page.title();
      if (!title.test(shown)) errors.push(`title "${shown}" does not match ${title}`);
      if (heading !== null) {
        const h1 = (await page.locator('h1').first().textContent({ timeout: 10_000 }))?.trim();
        if (!h1?.includes(heading)) errors.push(`first heading "${h1}" lacks "${heading}"`);
      }
      if (done) {
        const status = page.locator(done.selector);
        await status
          .filter({ hasText: done.text })
          .waitFor({ timeout: 60_000 })
          .catch(() => {});
        const text = (await status.textContent())?.trim();
        if (!done.text.test(text ?? ''))
          errors.push(`${done.selector} says "${text}", not ${done.text}`);
      }
      for (const e of errors) problems.push(`${path}: ${e}`);
      console.log(`docs-check smoke: ${path} "${shown}" ${errors.length === 0 ? 'ok' : 'FAILED'}`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return problems;
}

const problems = checkLinks();
if (!args.has('--no-smoke')) problems.push(...(await smoke()));
for (const p of problems) console.error(`  ✗ ${p}`);
if (problems.length > 0) {
  console.error(`docs-check: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('docs-check: the site builds, its links resolve and its pages load cleanly');
