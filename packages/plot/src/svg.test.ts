import { describe, expect, it } from 'vitest';
import { attrs, escapeXml, MINUS, mathMinus, num, powerOfTen, richText, textWidth } from './svg.js';

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
  it('drops characters XML 1.0 forbids and lone surrogates, keeps pairs and tabs', () => {
    expect(escapeXml('a\u0000b\u0007c\td\uFFFE')).toBe('abc\td');
    expect(escapeXml('x\uD800y')).toBe('xy');
    expect(escapeXml('😀')).toBe('😀');
  });
});

describe('num', () => {
  it('rounds to 2 decimals without trailing zeros, never -0 or NaN', () => {
    expect([num(1.005), num(12.3456), num(-0.001), num(3), num(-2.5)]).toEqual([
      '1',
      '12.35',
      '0',
      '3',
      '-2.5',
    ]);
    expect([num(Number.NaN), num(Number.POSITIVE_INFINITY)]).toEqual(['0', '0']);
  });
});

describe('mathMinus and richText', () => {
  it('turns a hyphen meaning minus into U+2212 but keeps hyphens inside words', () => {
    expect(mathMinus('-3x + 2')).toBe(`${MINUS}3x + 2`);
    expect(mathMinus('x - 1')).toBe(`x ${MINUS} 1`);
    expect(mathMinus('f(-x)')).toBe(`f(${MINUS}x)`);
    expect(mathMinus('leaky-relu, x-axis')).toBe('leaky-relu, x-axis');
  });
  it('sets single-letter variables in italics, words upright', () => {
    expect(richText('log x')).toBe('log <tspan font-style="italic">x</tspan>');
    expect(richText('−3x + 2')).toBe('−3<tspan font-style="italic">x</tspan> + 2');
    expect(richText('x·eˣ')).toBe(
      '<tspan font-style="italic">x</tspan>·<tspan font-style="italic">e</tspan>ˣ',
    );
    expect(richText('loss of a run')).toBe('loss of a run');
  });
  it('escapes user text around the italics', () => {
    expect(richText('<b>x & y</b>')).toBe(
      '&lt;<tspan font-style="italic">b</tspan>&gt;<tspan font-style="italic">x</tspan> &amp; <tspan font-style="italic">y</tspan>&lt;/<tspan font-style="italic">b</tspan>&gt;',
    );
  });
});

describe('attrs, powerOfTen, textWidth', () => {
  it('writes escaped attributes and skips undefined', () => {
    expect(attrs({ x: 1.234, label: 'a"b', skip: undefined })).toBe(' x="1.23" label="a&quot;b"');
  });
  it('writes 10 with superscript exponents', () => {
    expect([powerOfTen(-3), powerOfTen(0), powerOfTen(12)]).toEqual(['10⁻³', '10⁰', '10¹²']);
  });
  it('estimates 0.6 em per character', () => {
    expect(textWidth('abcd', 10)).toBeAllclose(24, { rtol: 1e-12, atol: 0 });
    // CJK characters are about 1 em wide: 2 × 10 + 2 × 6
    expect(textWidth('平均ab', 10)).toBeAllclose(32, { rtol: 1e-12, atol: 0 });
    expect(textWidth('（层）', 10)).toBeAllclose(30, { rtol: 1e-12, atol: 0 });
  });
});
