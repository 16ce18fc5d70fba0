/**
 * The demo's entry: a hash router (`#/chapter-3`, `#/playground?…`), the navigation and the theme
 * switch. Each chapter is a module with `mount(el, params)` / `unmount()`, loaded on first visit
 * (chapters/registry.ts).
 */
import './styles.css';
import { chapterEntries as chapters } from './chapters/registry.js';
import type { Chapter } from './chapters/types.js';
import { button, h } from './ui/controls.js';
import { initTheme, toggleTheme } from './ui/theme.js';

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

async function route(): Promise<void> {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = hash.split('?');
  // `#/chapter-9` is the playground's number in the navigation; anything unknown opens chapter 1.
  const id = path === 'chapter-9' ? 'playground' : path;
  const chapter = chapters.find((c) => c.id === id) ?? chapters[0]!;
  const key = `${chapter.id}?${query}`;
  if (key === currentKey) return;
  current?.unmount();
  current = undefined;
  main.replaceChildren();
  currentKey = key;
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.route === chapter.id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${chapter.title} · annlab`;
  const section = h('section', { 'data-chapter': chapter.id, 'aria-labelledby': 'chapter-title' });
  section.append(h('h1', { id: 'chapter-title' }, chapter.title));
  main.append(section);
  // Each chapter is its own chunk, loaded on first visit; a newer route may win the race.
  const loaded = await chapter.load();
  if (currentKey !== key) return;
  current = loaded;
  loaded.mount(section, new URLSearchParams(query));
}

window.addEventListener('hashchange', () => {
  void route();
  main.focus({ preventScroll: true });
});
void route();
