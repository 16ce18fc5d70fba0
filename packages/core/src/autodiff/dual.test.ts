import { numericDerivative, numericGradient, seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { activation, sigmoid, sigmoidDerivative } from '../activations/index.js';
import { ValidationError } from '../errors.js';
import {
  type DiffScalar,
  Dual,
  dual,
  grad,
  jacfwd,
  jacrev,
  jvp,
  type Value,
  valueAndGradVector,
} from './index.js';

const SPECS = [
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'gelu',
  'identity',
  'softplus',
  'elu',
  { name: 'leakyRelu', slope: 0.2 },
  { name: 'elu', alpha: 0.5 },
  { name: 'gelu', approximate: 'tanh' },
] as const;

describe('forward mode: primitives against central differences', () => {
  const unary: [string, (x: Dual) => Dual, (x: number) => number][] = [
    ['neg', (x) => dual.neg(x), (x) => -x],
    ['exp', (x) => dual.exp(x), Math.exp],
    ['log', (x) => dual.log(x), Math.log],
    ['square', (x) => dual.square(x), (x) => x * x],
    ['pow(x, 2.5)', (x) => dual.pow(x, 2.5), (x) => x ** 2.5],
    ['pow(1.7, x)', (x) => dual.pow(1.7, x), (x) => 1.7 ** x],
    ['add', (x) => dual.add(x, 3), (x) => x + 3],
    ['sub', (x) => dual.sub(3, x), (x) => 3 - x],
    ['mul', (x) => dual.mul(x, x), (x) => x * x],
    ['div', (x) => dual.div(1, x), (x) => 1 / x],
  ];
  for (const [name, f, plain] of unary) {
    it(`${name}: value exact, tangent matches differences to 1e-8`, () => {
      for (const x of [0.3, 1.1, 2.6]) {
        const y = f(new Dual(x, 1));
        expect(y.value).toBeAllclose(plain(x), { rtol: 0, atol: 0 });
        expect(y.tangent).toBeAllclose(numericDerivative(plain, x), { rtol: 1e-8, atol: 1e-10 });
        // the tangent is linear in the seed
        expect(f(new Dual(x, -2.5)).tangent).toBeAllclose(-2.5 * y.tangent, {
          rtol: 1e-15,
          atol: 0,
        });
      }
    });
  }
  it('binary primitives: tangents in both operands match differences to 1e-8', () => {
    const ops: [(a: Dual, b: Dual) => Dual, (a: number, b: number) => number][] = [
      [dual.add, (a, b) => a + b],
      [dual.sub, (a, b) => a - b],
      [dual.mul, (a, b) => a * b],
      [dual.div, (a, b) => a / b],
      [dual.pow, (a, b) => a ** b],
    ];
    const [a, b] = [1.4, -0.6];
    for (const [f, plain] of ops) {
      const expected = numericGradient((p) => plain(p[0]!, p[1]!), [a, b]);
      expect(jacfwd(f)(a, b)).toBeAllclose([expected], { rtol: 1e-8, atol: 1e-10 });
    }
  });
  for (const spec of SPECS) {
    const act = activation(spec);
    it(`${act.label}: tangent is f′(x)`, () => {
      for (const x of [-2.3, -0.4, 0.35, 1.9]) {
        const y = new Dual(x, 1).activate(spec);
        expect(y.value).toBeAllclose(act.f(x), { rtol: 0, atol: 0 });
        expect(y.tangent).toBeAllclose(act.df(x), { rtol: 0, atol: 0 });
        expect(dual.activate(new Dual(x, 1), spec).tangent).toBe(y.tangent);
      }
    });
  }
  it('pow with a constant exponent at a negative or zero base stays finite', () => {
    expect(new Dual(-2, 1).pow(3).tangent).toBe(12);
    expect(new Dual(0, 1).pow(2).tangent).toBe(0);
    expect(dual.pow(0, new Dual(1.5, 1)).tangent).toBe(0);
    expect(dual.sum([new Dual(1, 2), 3, new Dual(4, -1)])).toEqual(new Dual(8, 1));
    expect(dual.sum([])).toEqual(new Dual(0, 0));
  });
});

/** A random straight-line program over the shared DiffScalar operations, run in either mode. */
function randomProgram(seed: number, length: number) {
  const rng = seeded(seed);
  const steps = Array.from({ length }, () => ({
    op: rng.int(0, 9),
    i: rng.int(0, 1_000_000),
    j: rng.int(0, 1_000_000),
    c: rng.range(0.5, 1.5),
  }));
  return <T extends DiffScalar<T>>(...xs: T[]): T => {
    const regs: T[] = [...xs];
    for (const { op, i, j, c } of steps) {
      const a = regs[i % regs.length]!;
      const b = regs[j % regs.length]!;
      const r = [
        () => a.add(b),
        () => a.sub(b).mul(c),
        () => a.mul(b),
        () => a.div(b.square().add(1)),
        () => a.activate('tanh'),
        () => a.mul(0.3).exp(),
        () => a.square().add(1).log(),
        () => a.activate('sigmoid').mul(b),
        () =>
          a
            .square()
            .add(c)
            .pow(0.5 * c),
      ][op]!();
      regs.push(r);
    }
    return regs[regs.length - 1]!;
  };
}

describe('forward and reverse mode agree', () => {
  it('on 20 random programs: jvp along random directions equals ⟨∇f, v⟩ to 1e-13', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const prog = randomProgram(seed, 30);
      const rng = seeded(100 + seed);
      const x = Array.from(rng.array(4, -1, 1));
      const v = Array.from(rng.normals(4));
      const g = grad((...xs: Value[]) => prog(...xs))(...x);
      const { value, tangent } = jvp((...xs: Dual[]) => prog(...xs), x, v);
      const dot = g.reduce((s, gi, i) => s + gi * v[i]!, 0);
      const scale = g.reduce((s, gi, i) => s + Math.abs(gi * v[i]!), 0);
      expect(tangent).toBeAllclose(dot, { rtol: 0, atol: 1e-13 * Math.max(1, scale) });
      expect(value).toBe(valueAndGradVector((xs) => prog(...xs))(x).value);
      // and the full Jacobian (one row) both ways
      expect(jacfwd((...xs: Dual[]) => prog(...xs))(...x)).toBeAllclose([g], {
        rtol: 1e-13,
        atol: 1e-15,
      });
    }
  });

  it('jacfwd and jacrev of a vector function agree and match finite differences', () => {
    // polar → cartesian with a radial squash, ℝ³ → ℝ³
    const fwd = (r: Dual, t: Dual, s: Dual) => {
      const q = r.activate('softplus').mul(s.exp());
      return [q.mul(t.activate('tanh')), q.mul(t.square().neg().exp()), r.mul(t).div(s.add(3))];
    };
    const rev = (r: Value, t: Value, s: Value) => {
      const q = r.activate('softplus').mul(s.exp());
      return [q.mul(t.activate('tanh')), q.mul(t.square().neg().exp()), r.mul(t).div(s.add(3))];
    };
    const plain = (p: Float64Array, k: number) => {
      const [r, t, s] = [p[0]!, p[1]!, p[2]!];
      const q = Math.log1p(Math.exp(r)) * Math.exp(s);
      return [q * Math.tanh(t), q * Math.exp(-t * t), (r * t) / (s + 3)][k]!;
    };
    const x = [0.7, -0.4, 0.2];
    const jf = jacfwd(fwd)(...x);
    const jr = jacrev(rev)(...x);
    expect(jf).toBeAllclose(jr, { rtol: 1e-14, atol: 1e-16 });
    const fd = [0, 1, 2].map((k) => Array.from(numericGradient((p) => plain(p, k), x)));
    expect(jf).toBeAllclose(fd, { rtol: 1e-8, atol: 1e-10 });
  });
});

describe("the lecture's width-one chain: dx/dp by jacfwd", () => {
  it('x_{k+1} = σ(w_k x_k + b_k): jacfwd rows equal the closed-form products of σ′', () => {
    const L = 4;
    const x0 = 0.8;
    const p = Array.from(seeded(5).normals(2 * L)); // [w0, b0, w1, b1, ...]
    const chain = <T extends DiffScalar<T>>(params: T[]): T[] => {
      const xs: T[] = [];
      let x: T | number = x0;
      for (let k = 0; k < L; k++) {
        const z: T = params[2 * k]!.mul(x).add(params[2 * k + 1]!);
        const next: T = z.activate('sigmoid');
        xs.push(next);
        x = next;
      }
      return xs;
    };
    const J = jacfwd((...q: Dual[]) => chain(q))(...p);
    // closed form: with z_k = w_k x_k + b_k, ∂x_{k+1}/∂b_k = σ′(z_k), ∂x_{k+1}/∂w_k = σ′(z_k) x_k,
    // and ∂x_{m+1}/∂x_{k+1} = Π_{j=k+1..m} σ′(z_j) w_j
    const xs = [x0];
    const zs: number[] = [];
    for (let k = 0; k < L; k++) {
      zs.push(p[2 * k]! * xs[k]! + p[2 * k + 1]!);
      xs.push(sigmoid(zs[k]!));
    }
    const expected = Array.from({ length: L }, () => new Array<number>(2 * L).fill(0));
    for (let m = 0; m < L; m++) {
      for (let k = 0; k <= m; k++) {
        let through = 1;
        for (let j = k + 1; j <= m; j++) through *= sigmoidDerivative(zs[j]!) * p[2 * j]!;
        expected[m]![2 * k] = through * sigmoidDerivative(zs[k]!) * xs[k]!;
        expected[m]![2 * k + 1] = through * sigmoidDerivative(zs[k]!);
      }
    }
    expect(J).toBeAllclose(expected, { rtol: 1e-14, atol: 1e-17 });
    // the same Jacobian by reverse mode
    expect(jacrev((...q: Value[]) => chain(q))(...p)).toBeAllclose(J, { rtol: 1e-14, atol: 1e-17 });
  });
});

describe('forward mode: shape and validation', () => {
  it('jvp returns numbers for a scalar f and arrays for a vector f', () => {
    expect(jvp((x, y) => x.mul(y), [2, 3], [1, 0])).toEqual({ value: 6, tangent: 3 });
    expect(jvp((x) => [x.exp(), x.square()], [0], [1])).toEqual({
      value: [1, 0],
      tangent: [1, 0],
    });
    expect(jvp((x) => x, new Float64Array([2]), new Float64Array([5]))).toEqual({
      value: 2,
      tangent: 5,
    });
    expect(jacfwd((x, y) => x.mul(y))(2, 3)).toEqual([[3, 2]]);
    expect(jacfwd(() => [new Dual(1), new Dual(2)])()).toEqual([[], []]);
    // unused inputs give zero columns
    expect(jacfwd((x, _y) => x.square())(3, 4)).toEqual([[6, 0]]);
  });

  it('a 100k-step forward chain needs no recursion', () => {
    let y = new Dual(0.5, 1);
    for (let i = 0; i < 100_000; i++) y = y.mul(1 - 1e-5).add(1e-6);
    expect(y.tangent).toBeAllclose((1 - 1e-5) ** 100_000, { rtol: 1e-9, atol: 0 });
  });

  it('rejects bad arguments with the function, argument and value', () => {
    expect(() => new Dual(Number.NaN)).toThrow(ValidationError);
    expect(() => new Dual(Number.NaN)).toThrow('Dual: value must be a finite number, got NaN');
    expect(() => new Dual(1, Number.POSITIVE_INFINITY)).toThrow(
      'Dual: tangent must be a finite number, got Infinity',
    );
    expect(() => dual.add('x' as never, 1)).toThrow(
      'dual.add: a must be a Dual or a finite number, got "x"',
    );
    expect(() => new Dual(1).mul(Number.NaN)).toThrow(
      'dual.mul: b must be a Dual or a finite number, got NaN',
    );
    expect(() => dual.exp(undefined as never)).toThrow(
      'dual.exp: x must be a Dual or a finite number, got undefined',
    );
    expect(() => dual.activate(1, 'swish' as never)).toThrow(
      'dual.activate: spec must be an activation name, spec or Activation, got "swish"',
    );
    expect(() => jvp(1 as never, [1], [1])).toThrow('jvp: f must be a function, got 1');
    expect(() => jvp((x) => x, [1, 2], [1])).toThrow(
      'jvp: tangents must have the length of primals (2), got 1',
    );
    expect(() => jvp((x) => x, [Number.NaN], [1])).toThrow(
      'jvp: primals[0] must be a finite number, got NaN',
    );
    expect(() => jvp((x) => x, 3 as never, [1])).toThrow(
      'jvp: primals must be an array of finite numbers, got 3',
    );
    expect(() => jvp(() => 3 as never, [1], [1])).toThrow(
      'jvp: f must return a Dual or an array of Duals, got 3',
    );
    expect(() => jacfwd((x) => [x, 'y' as never])(1)).toThrow(
      'jacfwd: f must return a Dual or an array of Duals, got "y" at index 1',
    );
    expect(() => jacfwd((x) => x)(Number.POSITIVE_INFINITY)).toThrow(
      'jacfwd: args[0] must be a finite number, got Infinity',
    );
  });
});
