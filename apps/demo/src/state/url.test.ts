import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, type PlaygroundState, parseState, serializeState } from './url.js';

describe('playground URL state', () => {
  it('round-trips every field', () => {
    const s: PlaygroundState = {
      mode: 'classification',
      data: 'spiral',
      f: 'x * exp(x) + 2',
      a: -1.5,
      b: 2.25,
      n: 123,
      noise: 0.05,
      ratio: 70,
      depth: 3,
      width: 24,
      act: 'gelu',
      out: 'identity',
      loss: 'sse',
      opt: 'momentum',
      lr: 0.003,
      sched: 'cosine',
      batch: 'sgd',
      epochs: 77,
      seed: 42,
      backend: 'webgpu',
      norm: true,
      reg: 'l1',
      rate: 0.03,
    };
    const back = parseState(new URLSearchParams(serializeState(s)));
    expect(back.errors).toEqual([]);
    expect(back.state).toEqual(s);
  });

  it('refuses classification of a formula, and out-of-range ratios and rates, naming them', () => {
    expect(parseState(new URLSearchParams('mode=classification')).errors).toEqual([
      'classification needs classes: choose a 2-D set or a CSV file (data), not a formula',
    ]);
    expect(parseState(new URLSearchParams('ratio=95&rate=-1&data=moons')).errors).toEqual([
      'ratio must be an integer percentage in [10, 90], got "95"',
      'rate must be a number in [0, 10], got "-1"',
      'data must be formula, circle, xor, gauss, spiral, csv, got "moons"',
    ]);
  });

  it('gives the defaults for an empty URL and writes nothing for them', () => {
    expect(parseState(new URLSearchParams('')).state).toEqual(DEFAULT_STATE);
    expect(serializeState(DEFAULT_STATE)).toBe('');
  });

  it('rejects a malformed state as a whole with messages naming the fields', () => {
    const r = parseState(new URLSearchParams('f=log(x)&epochs=-1&act=swish&zzz=1&batch=0'));
    expect(r.state).toEqual(DEFAULT_STATE);
    expect(r.errors).toEqual([
      'epochs must be an integer in [1, 20000], got "-1"',
      'act must be sigmoid, tanh, relu, leakyRelu, gelu, identity, softplus, elu, got "swish"',
      'unknown parameter "zzz"',
      "batch must be 'full', 'sgd' or an integer in [1, 5000], got \"0\"",
    ]);
    expect(parseState(new URLSearchParams('a=3&b=1')).errors).toEqual([
      'the domain needs a < b, got a = 3, b = 1',
    ]);
    expect(parseState(new URLSearchParams('lr=1e400')).errors).toEqual([
      'lr must be a number in [1e-8, 10], got "1e400"',
    ]);
  });
});
