#!/usr/bin/env node
// `pnpm docs`: one static site in site/ — the five-minute starts (docs/site/*.md), a guide per package
// and the CLI guide (their READMEs), the typedoc API reference (site/api) and the demo (site/demo).
// Then a link checker over every page, and (with --smoke) a headless-Chromium pass over the pages.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { publishedPackages, root } from './published.mjs';

const site = join(root, 'site');
const smoke = process.argv.includes('--smoke');
const require = createRequire(createRequire(import.meta.url).resolve('typedoc'));
const md = require('markdown-it')({ html: false, linkify: true });

function step(label, cmd, args, cwd = root) {
  console.log(`\n▶ docs: ${label}`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`docs: ${label} failed`);
    process.exit(1);
  }
}

rmSync(site, { recursive: true, force: true });
mkdirSync(site);
step('typedoc API reference', 'pnpm', ['exec', 'typedoc', '--out', join(site, 'api')]);
step(
  'demo',
  'pnpm',
  ['exec', 'vite', 'build', '--outDir', join(site, 'demo'), '--emptyOutDir', '--logLevel', 'warn'],
  join(root, 'apps/demo'),
);

const pages = [
  { file: 'index.html', title: 'annlab', source: join(root, 'README.md') },
  {
    file: 'start-node.html',
    title: 'Five-minute start: Node',
    source: join(root, 'docs/site/start-node.md'),
  },
  {
    file: 'start-browser.html',
    title: 'Five-minute start: browser',
    source: join(root, 'docs/site/start-browser.md'),
  },
  ...publishedPackages().map(({ name, dir }) => ({
    file: `${dir.split('/')[1]}.html`,
    title: name === '@annlab/cli' ? 'The annlab command (CLI guide)' : `${name} guide`,
    source: join(root, dir, 'README.md'),
  })),
];
const nav = [
  ...pages.map((p) => `<a href="${p.file}">${p.title.replace(/ guide$/, '')}</a>`),
  '<a href="api/index.html">API reference</a>',
  '<a href="demo/index.html">Demo</a>',
].join(' · ');
// Links between READMEs become links between pages; other repository paths are left as text.
const pageOf = new Map(pages.map((p) => [relative(root, p.source), p.file]));
function rewrite(html, source) {
  // Images the READMEs show are copied next to the pages.
  html = html.replace(/src="([^"#:]+)"/g, (all, target) => {
    const file = join(dirname(source), target);
    if (!existsSync(file)) return all;
    const name = `img/${relative(root, file).replace(/[/\\]/g, '-')}`;
    mkdirSync(join(site, 'img'), { recursive: true });
    cpSync(file, join(site, name));
    return `src="${name}"`;
  });
  return html.replace(/href="([^"#:]+)(#[^"]*)?"/g, (all, target, hash = '') => {
    const path = relative(root, join(dirname(source), target));
    const readme = pageOf.get(path) ?? pageOf.get(join(path, 'README.md'));
    return readme ? `href="${readme}${hash}"` : all.replace(/^href=/, 'data-repo-path=');
  });
}
for (const p of pages) {
  if (!existsSync(p.source)) continue;
  const body = rewrite(md.render(readFileSync(p.source, 'utf8')), p.source);
  writeFileSync(
    join(site, p.file),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${p.title}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:.75rem;overflow:auto}nav{margin-bottom:1.5rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .4rem}</style></head><body><nav>${nav}</nav><main>${body}</main></body></html>\n`,
  );
}

// Link checker: every relative href/src of every HTML page must exist in the site.
const broken = [];
function walk(dir) {
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, f.name);
    if (f.isDirectory()) walk(p);
    else if (f.name.endsWith('.html')) {
      const html = readFileSync(p, 'utf8');
      for (const m of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
        const url = m[1];
        if (/^(?:[a-z]+:|#|\/\/)/i.test(url)) continue;
        const target = join(dirname(p), decodeURI(url.split(/[?#]/)[0]));
        if (!existsSync(target)) broken.push(`${relative(site, p)} → ${url}`);
      }
    }
  }
}
walk(site);
if (broken.length > 0) {
  for (const b of broken.slice(0, 30)) console.error(`docs: broken link ${b}`);
  console.error(`docs: ${broken.length} broken link(s)`);
  process.exit(1);
}
console.log(`\ndocs: site/ built (${pages.length} pages, API reference, demo); links ok`);

if (smoke) {
  const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const { chromium } = createRequire(join(root, 'apps/demo/package.json'))('playwright-core');
  const types = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.woff2': 'font/woff2',
  };
  const server = createServer((req, res) => {
    let path = join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.endsWith('/')) path = join(path, 'index.html');
    if (!path.startsWith(site) || !existsSync(path)) return res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' })
      .end(readFileSync(path));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const failures = [];
  try {
    for (const [path, selector] of [
      ['index.html', 'main h1'],
      ['start-node.html', 'main pre'],
      ['core.html', 'main h1'],
      ['cli.html', 'main h1'],
      ['api/index.html', 'body'],
      ['demo/index.html', 'h1#chapter-title'],
    ]) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      try {
        await page.goto(`${base}/${path}`);
        await page.waitForSelector(selector, { timeout: 30_000 });
      } catch (e) {
        errors.push(e.message);
      }
      if (errors.length > 0) failures.push(`${path}: ${errors.join('; ')}`);
      else console.log(`docs smoke: ${path} ok`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length > 0) {
    for (const f of failures) console.error(`docs smoke: ${f}`);
    process.exit(1);
  }
}
