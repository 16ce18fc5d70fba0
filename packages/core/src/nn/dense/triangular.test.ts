import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { type ActivationSpec, activation } from '../../activations/index.js';
import { ShapeError } from '../../errors.js';
import { key } from '../../random/index.js';
import { chainGradient, chainParams } from '../chain/index.js';
import {
  createMlpWorkspace,
  initMlp,
  LOSS_NAMES,
  mlpGradientTriangular,
  mlpPredict,
  mlpSpec,
  mlpValueAndGradient,
} from './index.js';

const ACTS: ActivationSpec[] = ['sigmoid', 'tanh', 'gelu', 'softplus', { name: 'elu', alpha: 0.5 }];

describe('mlpGradientTriangular', () => {
  it.each(ACTS.map((a) => [activation(a).label, a] as const))(
    '%s: equals back-propagation to 1e-12 for every loss',
    (_label, act) => {
      const spec = mlpSpec([3, 6, 5, 4, 2], act, 'tanh');
      const params = initMlp(spec, key(3), { init: 'normal', scale: 0.7 }) as Float64Array;
      const r = seeded(9);
      const x = r.array(3, -1, 1);
      const y = r.array(2, 0, 1);
      const ws = createMlpWorkspace(spec, 1);
      const bp = new Float64Array(params.length);
      for (const name of LOSS_NAMES) {
        const t = mlpGradientTriangular(spec, params, x, y, name);
        const v = mlpValueAndGradient(spec, params, x, y, 1, name, ws, bp);
        expect(t.loss).toBeAllclose(v, { rtol: 1e-14, atol: 0 });
        expect(t.output).toBeAllclose(mlpPredict(spec, params, x), { rtol: 1e-14, atol: 0 });
        expect(t.grad).toBeAllclose(bp, { rtol: 1e-12, atol: 1e-15 });
      }
    },
  );
  it('builds a strictly block lower-bidiagonal L and a block-diagonal D', () => {
    const spec = mlpSpec([2, 3, 4, 1], 'tanh');
    const params = initMlp(spec, key(1)) as Float64Array;
    const { L, D, dadp, blockOffsets } = mlpGradientTriangular(
      spec,
      params,
      [0.3, -0.4],
      [1],
      'sse',
    );
    expect(blockOffsets).toEqual([0, 3, 7, 8]);
    expect([L.rows, L.cols, D.rows, D.cols, dadp.rows, dadp.cols]).toEqual([8, 8, 8, 30, 8, 30]);
    const block = (i: number) =>
      blockOffsets.findIndex((o, b) => i >= o && i < blockOffsets[b + 1]!);
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        const v = L.data[i * 8 + j]!;
        if (block(i) !== block(j) + 1) expect(v).toBe(0);
        else expect(v).not.toBe(0); // tanh' > 0 and the random weights are non-zero
      }
    }
    // Row 0 (layer 1, output 0) depends on W_1[0][·] (columns 0, 1) and b_1[0] (column 6) only.
    const nz = [];
    for (let j = 0; j < 30; j++) if (D.data[j] !== 0) nz.push(j);
    expect(nz).toEqual([0, 1, 6]);
  });
  it('on a width-one network equals the chain network’s triangular gradient (lecture W1)', () => {
    // Chain: params [w1..wN, b1..bN]; MLP layout: [w1, b1, w2, b2, …].
    const w = [1.2, -0.7, 2];
    const b = [0.1, 0.3, -0.5];
    const chain = chainGradient(chainParams(w, b), 0.8, 1.5, { method: 'triangular' });
    const spec = { sizes: [1, 1, 1, 1], activations: ['sigmoid', 'sigmoid', 'identity'] } as const;
    const params = new Float64Array([w[0]!, b[0]!, w[1]!, b[1]!, w[2]!, b[2]!]);
    const t = mlpGradientTriangular(spec, params, [0.8], [1.5], 'halfSquaredError');
    expect(t.loss).toBeAllclose(chain.loss, { rtol: 1e-14, atol: 0 });
    const reordered = [0, 1, 2].flatMap((i) => [chain.grad[i]!, chain.grad[3 + i]!]);
    expect(t.grad).toBeAllclose(reordered, { rtol: 1e-13, atol: 0 });
  });
  it('validates lengths and finiteness', () => {
    const spec = mlpSpec([2, 3, 1], 'tanh');
    const params = initMlp(spec, key(0));
    expect(() => mlpGradientTriangular(spec, params, [1], [0], 'mse')).toThrow(ShapeError);
    expect(() => mlpGradientTriangular(spec, params, [1], [0], 'mse')).toThrow(
      'mlpGradientTriangular: x must have length 2, got length 1',
    );
    expect(() => mlpGradientTriangular(spec, params, [1, 2], [0, 1], 'mse')).toThrow(
      'mlpGradientTriangular: y must have length 1, got length 2',
    );
    expect(() => mlpGradientTriangular(spec, params, [1, Number.NaN], [0], 'mse')).toThrow(
      'mlpGradientTriangular: x must be finite, got NaN at index 1',
    );
  });
});
