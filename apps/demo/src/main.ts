/**
 * The demo's entry: a hash router (`#/chapter-3`, `#/playground?…`), the navigation and the theme
 * switch. Each chapter is a module with `mount(el, params)` / `unmount()`, loaded on first visit
 * (chapters/registry.ts).
 */
import './styles.css';
import { chapterEntries as chapters } from './chapters/registry.js';
import type { Chapter } from './chapters/types.js';
import { detectLang, type Lang, lang, pick, setLang } from './i18n/lang.js';
import { button, h } from './ui/controls.js';
import { currentTheme, initTheme, toggleTheme } from './ui/theme.js';

setLang(detectLang(location.search, navigator.language));
document.documentElement.lang = lang();
const S = pick({
  en: {
    chapters: 'Chapters',
    tagline: 'approximating functions with neural networks',
    theme: 'Light / dark',
    language: 'Language',
    demo: 'annlab demo',
  },
  'zh-CN': {
    chapters: '章节',
    tagline: '用神经网络逼近函数',
    theme: '浅色 / 深色',
    language: '语言',
    demo: 'annlab 演示',
  },
});

initTheme();
const app = document.querySelector<HTMLElement>('#app')!;
const nav = h('nav', { 'aria-label': S.chapters });
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
  h('span', { class: 'tagline' }, S.tagline),
  languageSwitch(),
  themeButton(),
);

/** Light/dark: the visible text is the accessible name; the pressed state says which is on. */
function themeButton(): HTMLButtonElement {
  const b = button(S.theme, () => {
    toggleTheme();
    b.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
  });
  b.className = 'theme-toggle';
  b.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
  return b;
}

/** English / 中文: kept in the page's query (`?lang=zh-CN`), the route (`#/…`) unchanged. */
function languageSwitch(): HTMLElement {
  const select = h('select', { id: 'lang-switch', name: 'lang' });
  for (const [value, label] of [
    ['en', 'English'],
    ['zh-CN', '中文'],
  ] as const) {
    select.append(h('option', { value, lang: value, selected: value === lang() }, label));
  }
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('lang', select.value as Lang);
    location.assign(url.toString());
  });
  return h('div', { class: 'lang-switch' }, h('label', { for: 'lang-switch' }, S.language), select);
}
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
  document.title = `${chapter.title} · ${S.demo}`;
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
