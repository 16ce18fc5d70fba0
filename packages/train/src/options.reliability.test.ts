/**
 * Issue 12, item 10: optimizer and schedule options that make no sense are named errors, each a case
 * that was accepted (or a raw TypeError) before.
 */
import { ValidationError } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { adam, adamw, momentum, sgd } from './optimizers/index.js';

describe('optimizer options', () => {
  it("adam's eps must be > 0 (0 gives 0/0 on a zero gradient)", () => {
    expect(() => adam(0.1, { eps: 0 })).toThrow(
      'adam: options.eps must be a finite number > 0, got 0',
    );
  });
  it('momentum(0.1, null) is a ValidationError, not a raw TypeError', () => {
    expect(() => momentum(0.1, null as never)).toThrow(ValidationError);
    expect(() => momentum(0.1, null as never)).toThrow(
      'momentum: options must be an object, got null',
    );
  });
  it('nesterov must be a boolean; unknown option names are refused', () => {
    expect(() => sgd(0.1, { momentum: 0.9, nesterov: 'no' as never })).toThrow(
      'sgd: options.nesterov must be true or false, got "no"',
    );
    expect(() => momentum(0.1, { nesterov: 1 as never })).toThrow(
      /options\.nesterov must be true or false/,
    );
    expect(() => adamw(0.1, { weightDecy: 0.1 } as never)).toThrow(
      /adamw: unknown option "weightDecy"/,
    );
  });
  it('a schedule returning −1 or the string "0.1" is refused at the step it happens', () => {
    const params = new Float64Array([1]);
    const grads = new Float64Array([1]);
    const neg = sgd((step) => (step < 2 ? 0.1 : -1));
    const s = neg.init(params);
    neg.update(grads, s);
    neg.update(grads, s);
    expect(() => neg.update(grads, s)).toThrow(
      /sgd: learningRate\(2\) .* must be a finite number ≥ 0, got -1/,
    );
    const str = adam((() => '0.1') as never);
    expect(() => str.update(grads, str.init(params))).toThrow(
      /adam: learningRate\(0\).*got "0\.1"/,
    );
  });
});

describe('fit options (item 10, through the trainer)', () => {
  it('an unknown fit option is an error, not ignored', async () => {
    const { fit: fitModel } = await import('./index.js');
    const { chainParams } = await import('@annlab/core');
    const model = { kind: 'chain' as const, params: chainParams([0.5], [0]) };
    expect(() =>
      fitModel(model, { x: [1, 2], y: [1, 2] }, { epochs: 1, lerningRate: 0.1 } as never),
    ).toThrow(/unknown option/);
  });
});
