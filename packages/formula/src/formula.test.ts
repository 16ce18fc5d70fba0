import { describe, expect, it } from 'vitest';
import { FormulaError, parseFormula, sampleFormula } from './index.js';

describe('parseFormula', () => {
  it('evaluates the lecture targets exactly', () => {
    const lin = parseFormula('-3x + 2');
    expect(lin.evaluate(1)).toBe(-1);
    expect(lin.evaluate(0.5)).toBe(0.5);
    expect(parseFormula('log(x)').evaluate(Math.E)).toBeAllclose(1, { rtol: 1e-15, atol: 0 });
    expect(parseFormula('x * exp(x)').evaluate(2)).toBeAllclose(2 * Math.exp(2), {
      rtol: 1e-15,
      atol: 0,
    });
    expect(parseFormula('x^2').evaluate(3)).toBe(9);
    expect(parseFormula('sin(3x)').evaluate(0.5)).toBeAllclose(Math.sin(1.5), {
      rtol: 1e-15,
      atol: 0,
    });
    expect(parseFormula('2 pi').evaluate(0)).toBeAllclose(2 * Math.PI, { rtol: 1e-15, atol: 0 });
    expect(parseFormula('log(8, 2)').evaluate(0)).toBeAllclose(3, { rtol: 1e-15, atol: 0 });
  });
  it('takes several variables in order', () => {
    const f = parseFormula('sin(2 x0) * cos(x1)', { variables: ['x0', 'x1'] });
    expect(f.evaluate(0.3, 0.4)).toBeAllclose(Math.sin(0.6) * Math.cos(0.4), {
      rtol: 1e-15,
      atol: 0,
    });
    expect(() => f.evaluate(1)).toThrow('formula.evaluate: expected 2 value(s) (x0, x1), got 1');
  });
  it('rejects what is not a formula, with the reason', () => {
    expect(() => parseFormula('')).toThrow('parseFormula: the formula is empty');
    expect(() => parseFormula('3x +')).toThrow(FormulaError);
    expect(() => parseFormula('3x +')).toThrow(/cannot parse "3x \+"/);
    expect(() => parseFormula('y + 1')).toThrow(/unknown name "y"/);
    expect(() => parseFormula('foo(x)')).toThrow(/unknown function "foo"/);
    expect(() => parseFormula('f(x) = x')).toThrow(/is not allowed in a formula/);
    expect(() => parseFormula('a = 1')).toThrow(/is not allowed in a formula/);
    expect(() => parseFormula('[1, 2]')).toThrow(/is not allowed in a formula/);
    expect(() => parseFormula('"hi"')).toThrow(/only numbers are allowed/);
    expect(() => parseFormula('x > 1')).toThrow(/operator ">" is not allowed/);
    expect(() => parseFormula('import({})')).toThrow(/unknown function "import"/);
    expect(() => parseFormula('sin(x, 2)')).toThrow(
      'parseFormula: sin takes 1 argument(s), got 2 in "sin(x, 2)"',
    );
  });
  it('reports the parse position', () => {
    try {
      parseFormula('3 * (x + 1');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FormulaError);
      expect((err as FormulaError).index).toBeTypeOf('number');
    }
  });
});

describe('sampleFormula', () => {
  it('samples evenly, both ends included', () => {
    const { x, y } = sampleFormula(parseFormula('-3x + 2'), 0.5, 3, 200);
    expect(x.length).toBe(200);
    expect(x[0]).toBe(0.5);
    expect(x[199]).toBe(3);
    expect(y[199]).toBe(-7);
  });
  it('names the x where the target is not finite', () => {
    expect(() => sampleFormula(parseFormula('log(x)'), -1, 1, 5)).toThrow(
      /"log\(x\)" is not finite at x = -1 \(value NaN\)/,
    );
    expect(() => sampleFormula(parseFormula('x'), 1, 1, 5)).toThrow(/a < b, got \[1, 1\]/);
    expect(() => sampleFormula(parseFormula('x'), 0, 1, 1)).toThrow(
      /points must be an integer in \[2, 1000000\], got 1/,
    );
  });
});
