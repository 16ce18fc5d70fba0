/**
 * The demo's entry: a hash router (`#/chapter-3`, `#/playground?…`), the navigation and the theme
 * switch. Each chapter is a module with `mount(el, params)` / `unmount()`.
 */
import './styles.css';
import { neuronChapter } from './chapters/1-neuron.js';
import { chainChapter } from './chapters/2-chain.js';
import { examplesChapter } from './chapters/3-examples.js';
import { batchChapter } from './chapters/4-batch.js';
import { vanishingChapter } from './chapters/5-vanishing.js';
import { xorChapter } from './chapters/6-xor.js';
import { widerChapter } from './chapters/7-wider.js';
import { numericsChapter } from './chapters/8-numerics.js';
import { playgroundChapter } from './chapters/9-playground.js';
import type { Chapter } from './chapters/types.js';
import { button, h } from './ui/controls.js';
import { initTheme, toggleTheme } from './ui/theme.js';

const chapters: readonly Chapter[] = [
  neuronChapter,
  chainChapter,
  examplesChapter,
  batchChapter,
  vanishingChapter,
  xorChapter,
  widerChapter,
  numericsChapter,
  playgroundChapter,
];

initTheme();
const app = document.querySelector<HTMLElement>('#app')!;
const nav = h('nav', { 'aria-label': 'Chapters' });
const list = h('ol');
for (const c of chapters) {
  list.append(h('li', {}, h('a', { href: `#/${c.id}`, 'data-route': c.id }, c.title)));
}
nav.append(list);
const main = h('main', { id: 'content', tabindex: -1 });
const header = h(
  'header',
  {},
  h('a', { href: '#/chapter-1', class: 'brand' }, 'annlab'),
  h('span', { class: 'tagline' }, 'approximating functions with neural networks'),
  button('Light / dark', toggleTheme, { class: 'theme-toggle', 'aria-label': 'Toggle dark mode' }),
);
app.append(header, h('div', { class: 'layout' }, nav, main));

let current: Chapter | undefined;
let currentKey = '';

function route(): void {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = hash.split('?');
  // `#/chapter-9` is the playground's number in the navigation; anything unknown opens chapter 1.
  const id = path === 'chapter-9' ? playgroundChapter.id : path;
  const chapter = chapters.find((c) => c.id === id) ?? chapters[0]!;
  const key = `${chapter.id}?${query}`;
  if (key === currentKey) return;
  current?.unmount();
  main.replaceChildren();
  currentKey = key;
  current = chapter;
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.route === chapter.id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${chapter.title} · annlab`;
  const section = h('section', { 'data-chapter': chapter.id, 'aria-labelledby': 'chapter-title' });
  section.append(h('h1', { id: 'chapter-title' }, chapter.title));
  main.append(section);
  chapter.mount(section, new URLSearchParams(query));
}

window.addEventListener('hashchange', () => {
  route();
  main.focus({ preventScroll: true });
});
route();
