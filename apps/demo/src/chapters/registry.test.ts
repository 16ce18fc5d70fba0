import { describe, expect, it } from 'vitest';
import { setLang } from '../i18n/lang.js';
import { chapterEntries } from './registry.js';

describe('the chapter registry', () => {
  it('lists unique ids', () => {
    const ids = chapterEntries.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const entry of chapterEntries) {
    it(`${entry.id}: load() gives the module's chapter with the same id and title`, async () => {
      const chapter = await entry.load();
      expect(chapter.id).toBe(entry.id);
      expect(chapter.title).toBe(entry.title);
      // and in the Chinese edition
      setLang('zh-CN');
      try {
        expect(chapter.title).toBe(entry.title);
        // no English words (XOR stays, a formula name)
        expect(entry.title).not.toMatch(/[a-z]{3,}/);
      } finally {
        setLang('en');
      }
      expect(chapter.mount).toBeTypeOf('function');
    });
  }
});
