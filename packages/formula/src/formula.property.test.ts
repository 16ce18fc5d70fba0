/**
 * Property tests of the formula evaluator (issue 12, item 6): for any text, parsing and evaluating
 * either gives a number or throws a FormulaError, never another error type, and no name inherited from
 * Object.prototype is ever looked up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FORMULA_FUNCTIONS,
  FormulaError,
  parseFormula,
  quoteText,
  sampleFormula,
} from './formula.js';

const SEED = 20261206;
const RUNS = 2000;
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** Parses and evaluates at a few points; returns 'value' or 'FormulaError', rethrows anything else. */
function outcome(text: string): 'value' | 'FormulaError' {
  try {
    const f = parseFormula(text);
    for (const x of [-1.5, 0, 0.5, 2]) {
      const y = f.evaluate(x);
      if (typeof y !== 'number') throw new Error(`evaluate returned ${typeof y}`);
    }
    return 'value';
  } catch (err) {
    if (err instanceof FormulaError) {
      // one line, no raw control characters, no function source printed
      expect([...err.message].every((c) => c.charCodeAt(0) >= 0x20)).toBe(true);
      expect(err.message).not.toMatch(/native code/);
      return 'FormulaError';
    }
    throw err;
  }
}

const names = fc.constantFrom(...PROTO_NAMES, ...FORMULA_FUNCTIONS, 'x', 'pi', 'e', 'y', 'import');
const leaf = fc.oneof(
  fc.constantFrom('x', 'pi', 'e', ...PROTO_NAMES),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(String),
);
const tree = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '^', '.', '=', '>'), tie('expr'))
      .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc
      .tuple(names, fc.array(tie('expr'), { maxLength: 3 }))
      .map(([f, a]) => `${f}(${a.join(', ')})`),
    tie('expr').map((a) => `-(${a})`),
  ),
})).expr;

describe('formula property tests (fast-check, seed 20261206)', () => {
  it('every Object.prototype name is refused as a name and as a function', () => {
    for (const name of PROTO_NAMES) {
      for (const text of [name, `${name} ^ 0`, `${name}(x)`, `x + ${name}`]) {
        expect(() => parseFormula(text), text).toThrow(FormulaError);
      }
    }
    expect(() => parseFormula('constructor ^ 0')).toThrow(/unknown name "constructor"/);
    expect(() => parseFormula('toString(x)')).toThrow(/unknown function "toString"/);
    expect(() => parseFormula('valueOf')).toThrow(FormulaError);
    expect(() => parseFormula('__proto__')).toThrow(FormulaError);
  });

  it('random expression trees give a value or a FormulaError', () => {
    const counts = { value: 0, FormulaError: 0 };
    fc.assert(
      fc.property(tree, (text) => {
        counts[outcome(text)]++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(
      `formula trees: ${RUNS} cases (${counts.value} values, ${counts.FormulaError} FormulaErrors)`,
    );
    expect(counts.value).toBeGreaterThan(0);
  });

  it('random strings give a value or a FormulaError', () => {
    const counts = { value: 0, FormulaError: 0 };
    const pieces = fc.oneof(
      fc.string({ maxLength: 40, unit: 'binary' }),
      fc
        .array(
          fc.oneof(
            names,
            fc.constantFrom(
              '(',
              ')',
              ',',
              '+',
              '*',
              '^',
              '.',
              '[',
              ']',
              '"',
              '\u001b',
              '\n',
              '1e308',
              '=',
            ),
          ),
          {
            maxLength: 12,
          },
        )
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(pieces, (text) => {
        counts[outcome(text)]++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(
      `formula strings: ${RUNS} cases (${counts.value} values, ${counts.FormulaError} FormulaErrors)`,
    );
  });

  it('control characters are escaped in messages (item 15)', () => {
    expect(() => parseFormula('x\u001b[2J + y')).toThrow(/\\u001b\[2J/);
    expect(quoteText('a\nb"c\\')).toBe('"a\\u000ab\\"c\\\\"');
  });
});

describe('sampleFormula on extreme domains (item 11)', () => {
  it('makes a finite grid on [1e308, 1.7e308] and on [−1.7e308, 1.7e308]', () => {
    for (const [a, b] of [
      [1e308, 1.7e308],
      [-1.7e308, 1.7e308],
    ] as const) {
      const { x } = sampleFormula(parseFormula('1'), a, b, 5);
      for (const v of x) expect(Number.isFinite(v)).toBe(true);
      expect(x[0]).toBe(a);
      expect(x[4]).toBe(b);
    }
  });
});
