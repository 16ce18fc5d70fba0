import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chart,
  gradientBarsChart,
  line,
  lossChart,
  lossHistogramChart,
  points,
  ruleY,
} from '../src/index.js';
import { BAD_GEOMETRY, xmlError } from './xml.js';

/** Any finite double, including ±0, subnormals and values near ±MAX_VALUE. */
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Columns of equal length. */
const columns = (k: number) =>
  fc
    .integer({ min: 0, max: 40 })
    .chain((n) =>
      fc.tuple(
        ...Array.from({ length: k }, () => fc.array(finite, { minLength: n, maxLength: n })),
      ),
    );
/** Any text, including markup characters, quotes and unpaired surrogates. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('<script>', '"&\'', ']]>', '-3x + 2'),
);

function wellFormed(svg: string): void {
  expect(xmlError(svg)).toBeNull();
  expect(svg).not.toMatch(BAD_GEOMETRY);
}

describe('random finite data always yields well-formed SVG', () => {
  it('lines, points and a rule on linear or log axes, any theme and legend', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, columns(2)), { minLength: 0, maxLength: 4 }),
        fc.constantFrom('linear', 'log') as fc.Arbitrary<'linear' | 'log'>,
        fc.constantFrom('linear', 'log') as fc.Arbitrary<'linear' | 'log'>,
        fc.constantFrom('light', 'dark') as fc.Arbitrary<'light' | 'dark'>,
        fc.constantFrom('top', 'top-right', 'bottom-left', 'none') as fc.Arbitrary<'top'>,
        text,
        finite,
        (series, xType, yType, theme, legend, title, rule) => {
          const list = series.map(([name, [x, y]]) => ({ name, x, y }));
          wellFormed(
            chart({
              title,
              theme,
              legend,
              x: { type: xType, label: title },
              y: { type: yType },
              marks: [line(list), points(list), ruleY(rule, { label: title })],
            }),
          );
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });

  it('loss curves, gradient bars and loss histograms', () => {
    fc.assert(
      fc.property(columns(3), text, fc.integer({ min: 1, max: 30 }), (cols, name, bins) => {
        const [a, b, c] = cols;
        wellFormed(lossChart({ runs: [{ name, loss: a }, { loss: b }] }));
        wellFormed(lossHistogramChart({ losses: c, bins }));
        if (a.length > 0) {
          wellFormed(
            gradientBarsChart({
              layers: a.map((_, i) => `${name}${i}`),
              series: [{ name, values: a }, { values: b }],
            }),
          );
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
