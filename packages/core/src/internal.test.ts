/**
 * The split between the public API and @annlab/core/internal: the helpers the sibling packages
 * share are reachable from the subpath and not from the package root (a 0.x release freezes what
 * the root exports).
 */

import { describe, expect, it } from 'vitest';
import * as core from './index.js';
import * as internal from './internal.js';

const MOVED = [
  'activate',
  'add',
  'assertAllFinite',
  'assertFiniteNumber',
  'assertInteger',
  'assertPositive',
  'div',
  'exp',
  'formatValue',
  'invalidArgument',
  'isKey',
  'log',
  'mul',
  'neg',
  'pow',
  'square',
  'sub',
] as const;

describe('@annlab/core/internal', () => {
  it('exports exactly the moved helpers, each a function', () => {
    expect(Object.keys(internal).sort()).toEqual([...MOVED]);
    for (const [, f] of Object.entries(internal)) expect(typeof f).toBe('function');
  });

  it('the package root no longer exports them', () => {
    for (const name of MOVED) expect(Object.hasOwn(core, name)).toBe(false);
  });

  it('keeps the documented Value API and validation errors in the root', () => {
    const x = new core.Value(2);
    // d/dx (x·x + eˣ) = 2x + eˣ at x = 2, exactly as the bare functions compute it.
    const y = internal.add(internal.mul(x, x), internal.exp(x));
    expect(core.backward(y)(x)).toBe(4 + Math.exp(2));
    expect(() => internal.assertInteger('f', 'n', 1.5, 0)).toThrow(core.ValidationError);
    expect(() => internal.assertInteger('f', 'n', 1.5, 0)).toThrow(
      'f: n must be an integer ≥ 0, got 1.5',
    );
  });
});
