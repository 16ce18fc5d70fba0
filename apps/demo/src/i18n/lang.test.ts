import { afterEach, describe, expect, it } from 'vitest';
import { detectLang, formatNumber, pick, setLang } from './lang.js';

describe('language', () => {
  afterEach(() => setLang('en'));

  it('takes ?lang= first, then a zh* browser language, else English', () => {
    expect(detectLang('?lang=zh-CN', 'en-US')).toBe('zh-CN');
    expect(detectLang('?lang=en', 'zh-CN')).toBe('en');
    expect(detectLang('', 'zh-TW')).toBe('zh-CN');
    expect(detectLang('', 'zh')).toBe('zh-CN');
    expect(detectLang('?lang=fr', 'de-DE')).toBe('en');
    expect(detectLang('', undefined)).toBe('en');
    // a language that merely starts with the letters z, h is not Chinese
    expect(detectLang('', 'zhx')).toBe('en');
  });

  it('pick and formatNumber follow the page language', () => {
    const m = { en: 'Train', 'zh-CN': '训练' } as const;
    expect(pick(m)).toBe('Train');
    setLang('zh-CN');
    expect(pick(m)).toBe('训练');
    expect(formatNumber(0.123456, 4)).toBe('0.1235');
    expect(formatNumber(1.5e-5, 3)).toBe('1.50e-5');
    expect(formatNumber(12345, 4)).toBe('12350');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});
