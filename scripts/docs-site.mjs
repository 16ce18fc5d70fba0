#!/usr/bin/env node
// `pnpm docs`: builds the documentation site into docs/site/ (git-ignored), one static folder that
// works from any sub-path:
//   index.html, start-node.html, start-browser.html   docs/pages/*.md (written for the site)
//   guides/<name>.html                                the package, CLI, demo and examples READMEs
//   api/                                              the TypeDoc reference (typedoc.json, out moved)
//   demo/                                             the built demo (Vite, base './')
//   examples/browser-worker/                          the built worker example
//   files/<repository path>                           images and files the Markdown links to
// Markdown links are written as repository paths (so they also work on GitHub); a link to a page's
// source becomes a link to the page, a link to another repository file a link to its copy.
//
//   node scripts/docs-site.mjs [--no-typedoc] [--no-demo]
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, extname, join, posix, relative } from 'node:path';
import MarkdownIt from 'markdown-it';

const root = new URL('..', import.meta.url).pathname;
const site = join(root, 'docs', 'site');
const args = new Set(process.argv.slice(2));

/** Every page: its Markdown source (repository path), its site path, and its name in the menu. */
export const PAGES = [
  { src: 'docs/pages/index.md', out: 'index.html', nav: 'Home' },
  { src: 'docs/pages/start-node.md', out: 'start-node.html', nav: 'Start: Node' },
  { src: 'docs/pages/start-browser.md', out: 'start-browser.html', nav: 'Start: browser' },
  { src: 'packages/core/README.md', out: 'guides/core.html', nav: 'core' },
  { src: 'packages/train/README.md', out: 'guides/train.html', nav: 'train' },
  { src: 'packages/plot/README.md', out: 'guides/plot.html', nav: 'plot' },
  { src: 'packages/gpu/README.md', out: 'guides/gpu.html', nav: 'gpu' },
  { src: 'apps/cli/README.md', out: 'guides/cli.html', nav: 'CLI' },
  { src: 'apps/demo/README.md', out: 'guides/demo.html', nav: 'Demo guide' },
  { src: 'examples/README.md', out: 'guides/examples.html', nav: 'Examples' },
];
const EXTRA_NAV = [
  { out: 'api/index.html', nav: 'API' },
  { out: 'demo/index.html', nav: 'Demo' },
];
/** Repository paths built into the site by a tool rather than copied (see buildExample). */
const BUILT = { 'examples/browser-worker/index.html': 'examples/browser-worker/index.html' };

function sh(label, cmd, cmdArgs) {
  console.log(`▶ ${label}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`docs-site: ${label} failed (exit ${r.status})`);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats. */
export function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text
      .toLowerCase()
      .trim()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

const escapeHtml = (s) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** `<!-- include: path -->` on its own line → the file as a fenced code block (tested examples). */
function expandIncludes(markdown, src) {
  return markdown.replace(/^<!-- include: (\S+) -->$/gm, (_, file) => {
    const path = join(root, file);
    if (!existsSync(path))
      throw new Error(`docs-site: ${src} includes ${file}, which does not exist`);
    const lang = { '.mjs': 'js', '.js': 'js', '.ts': 'ts' }[extname(file)] ?? '';
    const body = readFileSync(path, 'utf8').trimEnd();
    return `\`\`\`${lang}\n// ${file}\n${body}\n\`\`\``;
  });
}

/**
 * A link in `src` → the href in the built page at `out`. Repository paths that are pages become
 * page links; other existing repository files are copied under files/; the rest (site paths such as
 * api/index.html, external URLs, anchors) stay as written, for the link checker to judge.
 */
function rewriteHref(href, src, out, copies) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('//'))
    return href;
  const [pathPart, hash] = href.split('#', 2);
  const repoPath = posix.normalize(posix.join(posix.dirname(src), pathPart));
  const fromPage = (target) => {
    const rel = posix.relative(posix.dirname(out), target) || posix.basename(target);
    return hash === undefined ? rel : `${rel}#${hash}`;
  };
  const page =
    PAGES.find((p) => p.src === repoPath) ??
    PAGES.find((p) => p.src === posix.join(repoPath, 'README.md'));
  if (page) return fromPage(page.out);
  if (BUILT[repoPath]) return fromPage(BUILT[repoPath]);
  const abs = join(root, repoPath);
  if (!repoPath.startsWith('..') && existsSync(abs) && statSync(abs).isFile()) {
    copies.add(repoPath);
    return fromPage(`files/${repoPath}`);
  }
  return href;
}

function renderPage(page, copies) {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  const slug = slugger();
  md.core.ruler.push('heading_ids', (state) => {
    for (let i = 0; i < state.tokens.length; i++) {
      const t = state.tokens[i];
      if (t.type !== 'heading_open') continue;
      const text = state.tokens[i + 1].children
        .filter((c) => c.type === 'text' || c.type === 'code_inline')
        .map((c) => c.content)
        .join('');
      t.attrSet('id', slug(text));
    }
  });
  md.core.ruler.push('site_links', (state) => {
    for (const block of state.tokens) {
      for (const t of block.children ?? []) {
        const attr = t.type === 'link_open' ? 'href' : t.type === 'image' ? 'src' : null;
        if (attr) t.attrSet(attr, rewriteHref(t.attrGet(attr), page.src, page.out, copies));
      }
    }
  });
  const source = expandIncludes(readFileSync(join(root, page.src), 'utf8'), page.src);
  const env = {};
  const body = md.render(source, env);
  const title = source.match(/^# (.+)$/m)?.[1]?.replace(/`/g, '') ?? page.nav;
  const up = posix.relative(posix.dirname(page.out), '.') || '.';
  const link = (out) => (up === '.' ? out : `${up}/${out}`);
  const nav = [...PAGES, ...EXTRA_NAV]
    .map((p) => {
      const current = p.out === page.out ? ' aria-current="page"' : '';
      return `<a href="${link(p.out)}"${current}>${escapeHtml(p.nav)}</a>`;
    })
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title === 'annlab' ? 'annlab documentation' : `${title} · annlab`)}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${link('site.css')}" />
  </head>
  <body>
    <nav aria-label="Site">
      ${nav}
    </nav>
    <main>
${body}
    </main>
    <footer>Generated from <code>${escapeHtml(page.src)}</code> by <code>pnpm docs</code>.</footer>
  </body>
</html>
`;
}

const CSS = `body{font:16px/1.55 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:.75rem 1.5rem;background:#f3f4f6;border-bottom:1px solid #d0d7de}
nav a{color:#0b5cad;text-decoration:none}nav a[aria-current]{font-weight:600;color:#1b1f24}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem 3rem}
pre{background:#f6f8fa;padding:.75rem 1rem;overflow-x:auto;border-radius:6px}
code{font:.9em ui-monospace,monospace}table{border-collapse:collapse;display:block;overflow-x:auto}
td,th{border:1px solid #d0d7de;padding:.3rem .6rem;vertical-align:top}img{max-width:100%}
footer{max-width:60rem;margin:0 auto;padding:1rem 1.5rem;color:#57606a;font-size:.85em}
`;

function buildExample() {
  const out = join(site, 'examples', 'browser-worker');
  sh('worker example (vite build)', 'pnpm', [
    '--filter',
    '@annlab/examples',
    'exec',
    'vite',
    'build',
    '--config',
    'browser-worker/vite.config.js',
    '--outDir',
    out,
    '--emptyOutDir',
    '--logLevel',
    'warn',
  ]);
}

export function buildSite() {
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  const copies = new Set();
  for (const page of PAGES) {
    const file = join(site, page.out);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderPage(page, copies));
  }
  for (const repoPath of copies) {
    const to = join(site, 'files', repoPath);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(join(root, repoPath), to);
  }
  writeFileSync(join(site, 'site.css'), CSS);
  console.log(`docs-site: ${PAGES.length} pages, ${copies.size} linked files`);

  if (!args.has('--no-typedoc')) {
    sh('API reference (typedoc)', 'pnpm', ['exec', 'typedoc', '--out', join(site, 'api')]);
  }
  if (!args.has('--no-demo')) {
    sh('demo (vite build)', 'pnpm', ['--filter', 'demo', 'build', '--logLevel', 'warn']);
    cpSync(join(root, 'apps', 'demo', 'dist'), join(site, 'demo'), { recursive: true });
    buildExample();
  }
  console.log(`docs-site: built ${relative(root, site)}/ (open index.html, or serve the folder)`);
}

if (import.meta.url === `file://${process.argv[1]}`) buildSite();
