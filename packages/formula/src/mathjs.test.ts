import { parse as fullParse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { parse } from './mathjs.js';

// The custom number-only instance must build the same trees as the full mathjs bundle.
const FORMULAS = [
  '-3x + 2',
  'log(x)',
  'x * exp(x)',
  '2.5e-3 x^2 - 1/x',
  'sin(3x) + cos(pi x) / e',
  '(x^3 + 2x^2 + 5) / 9',
  'max(x, 0) + sigmoid(-x)',
  'log(x, 2) + sqrt(abs(x))',
  'x == 1 ? 2 : 3',
  'a = 1',
  'f(x) = x',
  '[1, 2]',
  'x.y',
];

describe('the custom mathjs instance', () => {
  for (const text of FORMULAS) {
    it(`parses ${JSON.stringify(text)} to the same tree as the full mathjs`, () => {
      const mine = parse(text);
      const full = fullParse(text);
      expect(mine.type).toBe(full.type);
      expect(mine.toString({ implicit: 'hide' })).toBe(full.toString({ implicit: 'hide' }));
      expect(JSON.stringify(mine)).toBe(JSON.stringify(full));
    });
  }

  it('reports syntax errors with the same message (the formula error reads the position)', () => {
    const err = (f: (t: string) => unknown, t: string) => {
      try {
        f(t);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    for (const bad of ['3 +', '(x', 'x $ 2']) expect(err(parse, bad)).toBe(err(fullParse, bad));
  });
});
