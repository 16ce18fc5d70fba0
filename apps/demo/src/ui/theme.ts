/** Light/dark theme: the user's choice (stored), else the system preference. */
const KEY = 'annlab-theme';

/** The active theme. */
export function currentTheme(): 'light' | 'dark' {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** Applies the stored or preferred theme to the document. */
export function initTheme(): void {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(KEY);
  } catch {
    stored = null;
  }
  const dark =
    stored === 'dark' ||
    (stored === null && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Switches between light and dark and remembers the choice. */
export function toggleTheme(): void {
  const next = currentTheme() === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Storage may be unavailable (private mode); the theme still applies to this page.
  }
}
