/**
 * Property test of the playground's URL state (issue 12, item 5): any query string gives a state
 * within LIMITS, or the defaults plus a notice (non-empty `errors`, which the playground shows).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../worker/protocol.js';
import {
  ACTIVATIONS,
  DATA_SOURCES,
  DEFAULT_STATE,
  LOSSES,
  MODES,
  OPTIMIZERS,
  type PlaygroundState,
  parseState,
  REGULARIZERS,
  SCHEDULES,
  serializeState,
} from './url.js';

const SEED = 20261206;
const RUNS = 3000;
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);
const FIELD_NAMES = Object.keys(DEFAULT_STATE);

function withinLimits(s: PlaygroundState): void {
  const int = (v: number, lo: number, hi: number) => {
    expect(Number.isInteger(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(lo);
    expect(v).toBeLessThanOrEqual(hi);
  };
  expect(typeof s.f).toBe('string');
  expect(s.f.length).toBeGreaterThan(0);
  expect(s.f.length).toBeLessThanOrEqual(500);
  expect(s.a).toBeLessThan(s.b);
  expect(Math.abs(s.a)).toBeLessThanOrEqual(1e6);
  expect(Math.abs(s.b)).toBeLessThanOrEqual(1e6);
  int(s.n, 2, LIMITS.maxPoints);
  int(s.depth, 0, LIMITS.maxDepth);
  int(s.width, 1, LIMITS.maxWidth);
  int(s.epochs, 1, LIMITS.maxEpochs);
  int(s.seed, 0, 2 ** 31 - 1);
  expect(s.noise >= 0 && s.noise <= 1e3).toBe(true);
  expect(s.lr >= 1e-8 && s.lr <= 10).toBe(true);
  expect(ACTIVATIONS).toContain(s.act);
  expect(ACTIVATIONS).toContain(s.out);
  expect(LOSSES).toContain(s.loss);
  expect(OPTIMIZERS).toContain(s.opt);
  expect(SCHEDULES).toContain(s.sched);
  expect(['cpu', 'webgpu']).toContain(s.backend);
  expect(typeof s.norm).toBe('boolean');
  expect(MODES).toContain(s.mode);
  expect(DATA_SOURCES).toContain(s.data);
  if (s.mode === 'classification') expect(s.data).not.toBe('formula');
  int(s.ratio, 10, 90);
  expect(REGULARIZERS).toContain(s.reg);
  expect(s.rate >= 0 && s.rate <= 10).toBe(true);
  if (typeof s.batch === 'number') int(s.batch, 1, LIMITS.maxPoints);
  else expect(['full', 'sgd']).toContain(s.batch);
  expect(Object.keys(s).sort()).toEqual([...FIELD_NAMES].sort());
}

const name = fc.oneof(
  fc.constantFrom(...FIELD_NAMES, ...PROTO_NAMES),
  fc.string({ maxLength: 12, unit: 'binary' }),
);
const value = fc.oneof(
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '1e9',
    'NaN',
    'Infinity',
    '',
    'full',
    'sgd',
    'tanh',
    'adam',
    'x^2',
    'classification',
    'spiral',
    'csv',
    'l2',
    '50',
    '1e-320',
    '0x10',
    ' 3',
  ),
  fc.double().map(String),
  fc.integer().map(String),
  fc.string({ maxLength: 20, unit: 'binary' }),
);
const query = fc
  .array(fc.tuple(name, value), { maxLength: 6 })
  .map((pairs) =>
    pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
  );

describe('URL state property test (fast-check, seed 20261206)', () => {
  it('every Object.prototype name is an unknown parameter, never a TypeError', () => {
    for (const n of PROTO_NAMES) {
      const r = parseState(new URLSearchParams(`${n}=1`));
      expect(r.state).toBe(DEFAULT_STATE);
      expect(r.errors, n).toEqual([`unknown parameter ${JSON.stringify(n)}`]);
    }
  });
  it('any query string gives a state within LIMITS, or the defaults plus a notice', () => {
    const counts = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(query, (q) => {
        const r = parseState(new URLSearchParams(q));
        if (r.errors.length > 0) {
          expect(r.state).toBe(DEFAULT_STATE);
          for (const e of r.errors) expect(e.length).toBeGreaterThan(0);
          counts.rejected++;
        } else {
          withinLimits(r.state);
          // an accepted state survives a round trip
          expect(parseState(new URLSearchParams(serializeState(r.state))).state).toEqual(r.state);
          counts.accepted++;
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(
      `URL states: ${RUNS} cases (${counts.accepted} accepted, ${counts.rejected} rejected with a notice)`,
    );
    expect(counts.accepted).toBeGreaterThan(0);
  });
});
