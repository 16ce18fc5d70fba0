import { describe, expect, it } from 'vitest';
import { setLang } from '../i18n/lang.js';
import { chapterEntries } from './registry.js';

describe('the chapter registry', () => {
  it('lists unique ids', () => {
    const ids = chapterEntries.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const entry of chapterEntries) {
    it(`${entry.id}: load() gives the module's chapter with the same id and title (en, zh-CN)`, async () => {
      const chapter = await entry.load();
      expect(chapter.id).toBe(entry.id);
      for (const lang of ['en', 'zh-CN'] as const) {
        setLang(lang);
        expect(chapter.title).toBe(entry.title);
        expect(entry.title).toBe(entry.titles[lang]);
      }
      setLang('en');
      expect(chapter.mount).toBeTypeOf('function');
    });
  }
});
