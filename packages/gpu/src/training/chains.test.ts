import { foldIn, initChain, key, permutation, sigmoid, split } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { describeGpu } from '../test-helpers/gpu.js';
import { CHAIN_SHUFFLE_FOLD, chainEpochOrder, chainShuffleKey, trainChains } from './chains.js';

/** f64 per-sample SGD of one chain on ½(ŷ − y)² (sigmoid hidden, identity last): the CPU path. */
function cpuChain(
  data: ArrayLike<number>,
  depth: number,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  lr: number,
  orders: ArrayLike<number>[],
) {
  const w = Array.from({ length: depth }, (_, i) => data[i]!);
  const b = Array.from({ length: depth }, (_, i) => data[depth + i]!);
  const forward = (x: number) => {
    const a = [x];
    const z: number[] = [];
    for (let i = 0; i < depth; i++) {
      z.push(w[i]! * a[i]! + b[i]!);
      a.push(i === depth - 1 ? z[i]! : sigmoid(z[i]!));
    }
    return { a, z };
  };
  for (const order of orders) {
    for (let s = 0; s < order.length; s++) {
      const idx = order[s]!;
      const { a, z } = forward(xs[idx]!);
      let g = a[depth]! - ys[idx]!;
      for (let i = depth - 1; i >= 0; i--) {
        const sg = sigmoid(z[i]!);
        const delta = i === depth - 1 ? g : g * sg * (1 - sg);
        g = delta * w[i]!;
        w[i]! -= lr * delta * a[i]!;
        b[i]! -= lr * delta;
      }
    }
  }
  let loss = 0;
  for (let s = 0; s < xs.length; s++) loss += 0.5 * (forward(xs[s]!).a[depth]! - ys[s]!) ** 2;
  return { params: [...w, ...b], loss };
}

const xs = Float64Array.from({ length: 20 }, (_, i) => Math.fround(0.5 + (2.5 * i) / 19));
const ys = xs.map((x) => Math.fround(-3 * x + 2));

describe('chain shuffle orders (CPU)', () => {
  it('derive from foldIn(key, "shuf"), as documented, apart from initChain’s keys', () => {
    const k = key(5);
    const s = chainShuffleKey(k);
    expect(s).toBeAllclose(foldIn(k, CHAIN_SHUFFLE_FOLD), { rtol: 0, atol: 0 });
    // initChain(k, N) uses split(k, N + 1); none of those keys is the shuffle key.
    for (const used of split(k, 65)) expect(Array.from(used)).not.toEqual(Array.from(s));
  });

  it("are core's permutations: 'epoch' = permutation(split(s, epochs)[e]), fixed, none", () => {
    const s = chainShuffleKey(key(2));
    const epochKeys = split(s, 3);
    for (let e = 0; e < 3; e++) {
      const expected = permutation(epochKeys[e]!, 20);
      expect(chainEpochOrder(s, e, 20, 'epoch')).toBeAllclose(expected, { rtol: 0, atol: 0 });
      expect(chainEpochOrder(s, e, 20, 'fixed')).toBeAllclose(permutation(s, 20), {
        rtol: 0,
        atol: 0,
      });
    }
    expect(chainEpochOrder(s, 0, 4, 'none')).toBeAllclose([0, 1, 2, 3], { rtol: 0, atol: 0 });
    expect(() => chainEpochOrder(s, 0, 4, 'perEpoch' as 'none')).toThrow(
      "chainEpochOrder: shuffle must be 'epoch', 'fixed' or 'none', got \"perEpoch\"",
    );
  });
});

describeGpu('trainChains (many width-one networks at once)', (gpu) => {
  for (const shuffleOn of ['gpu', 'cpu'] as const) {
    it(`shuffles each network by its own key every epoch, as a CPU loop over chainEpochOrder's orders (orders on the ${shuffleOn})`, async () => {
      const keys = split(key(7), 5);
      const epochs = 5;
      const r = await trainChains(gpu(), {
        keys,
        depth: 3,
        xs,
        ys,
        learningRate: 0.01,
        epochs,
        shuffle: 'epoch',
        shuffleOn,
        epochsPerDispatch: 2, // chunks of 2, 2, 1 epochs: the orders follow the absolute epoch
        returnParams: true,
      });
      for (let k = 0; k < 5; k++) {
        const s = chainShuffleKey(keys[k]!);
        const orders = Array.from({ length: epochs }, (_, e) => chainEpochOrder(s, e, 20, 'epoch'));
        const init = Float64Array.from(Float32Array.from(initChain(keys[k]!, 3).data));
        const ref = cpuChain(init, 3, xs, ys, 0.01, orders);
        // 100 float32 SGD steps of size ≤ 0.1 each: ≲ 1e-5 relative drift.
        expect(r.params!.subarray(k * 6, k * 6 + 6)).toBeAllclose(ref.params, {
          rtol: 1e-4,
          atol: 1e-5,
        });
        expect(r.losses[k]!).toBeAllclose(ref.loss, { rtol: 1e-4, atol: 1e-5 });
      }
    });

    it(`uses one keyed order per network with shuffle 'fixed', explicit params and shuffleKeys (orders on the ${shuffleOn})`, async () => {
      const params = [1, -0.5, 0.2, 0.3, 0.1, -0.2, 0.8, 0.4, -0.6, -0.1, 0.2, 0.05];
      const shuffleKeys = split(key(11), 2);
      const r = await trainChains(gpu(), {
        params,
        shuffleKeys,
        depth: 3,
        xs,
        ys,
        learningRate: 0.01,
        epochs: 3,
        shuffle: 'fixed',
        shuffleOn,
        epochsPerDispatch: 2,
        returnParams: true,
      });
      for (let k = 0; k < 2; k++) {
        const order = chainEpochOrder(shuffleKeys[k]!, 0, 20, 'fixed');
        const init = Float64Array.from(Float32Array.from(params.slice(6 * k, 6 * k + 6)));
        const ref = cpuChain(init, 3, xs, ys, 0.01, [order, order, order]);
        // 60 float32 SGD steps: ≲ 1e-5 relative drift.
        expect(r.params!.subarray(k * 6, k * 6 + 6)).toBeAllclose(ref.params, {
          rtol: 1e-4,
          atol: 1e-5,
        });
      }
    });
  }

  it('matches per-network f64 per-sample SGD from keys, with shared shuffled orders', async () => {
    const keys = split(key(0), 5);
    const rnd = seeded(9);
    const orders = Array.from({ length: 6 }, () => {
      const o = Array.from({ length: 20 }, (_, i) => i);
      for (let i = 19; i > 0; i--) {
        const j = rnd.int(0, i + 1);
        [o[i], o[j]] = [o[j]!, o[i]!];
      }
      return o;
    });
    const r = await trainChains(gpu(), {
      keys,
      depth: 3,
      xs,
      ys,
      learningRate: 0.01,
      epochs: 6,
      order: (e) => orders[e]!,
      epochsPerDispatch: 4,
      returnParams: true,
    });
    for (let k = 0; k < 5; k++) {
      const init = Float64Array.from(Float32Array.from(initChain(keys[k]!, 3).data));
      const ref = cpuChain(init, 3, xs, ys, 0.01, orders);
      // 120 float32 SGD steps of size ≤ 0.1 each: ≲ 1e-5 relative drift.
      expect(r.params!.subarray(k * 6, k * 6 + 6)).toBeAllclose(ref.params, {
        rtol: 1e-4,
        atol: 1e-5,
      });
      expect(r.losses[k]!).toBeAllclose(ref.loss, { rtol: 1e-4, atol: 1e-5 });
    }
    expect(r.seconds).toBeGreaterThan(0);
  });

  it('handles per-network depths, step sizes and orders', async () => {
    const keys = split(key(1), 4);
    const depths = [1, 2, 3, 5];
    const lrs = [0.02, 0.01, 0.005, 0.01];
    // Network k's order is 0..19 rotated by 3k.
    const perNet = Array.from(
      { length: 4 * 20 },
      (_, j) => ((j % 20) + 3 * Math.floor(j / 20)) % 20,
    );
    const r = await trainChains(gpu(), {
      keys,
      depth: depths,
      xs,
      ys,
      learningRate: lrs,
      epochs: 3,
      order: () => perNet,
    });
    for (let k = 0; k < 4; k++) {
      const init = Float64Array.from(Float32Array.from(initChain(keys[k]!, depths[k]!).data));
      const order = perNet.slice(k * 20, k * 20 + 20);
      const ref = cpuChain(init, depths[k]!, xs, ys, lrs[k]!, [order, order, order]);
      expect(r.losses[k]!).toBeAllclose(ref.loss, { rtol: 1e-4, atol: 1e-5 });
    }
  });

  it('takes explicit params and reports the untrained loss at 0 epochs', async () => {
    const params = [1, -0.5, 0.2, 0.3, 0.1, -0.2];
    const r = await trainChains(gpu(), { params, depth: 3, xs, ys, learningRate: 0.01, epochs: 0 });
    expect(r.losses[0]!).toBeAllclose(cpuChain(params, 3, xs, ys, 0.01, []).loss, {
      rtol: 1e-6,
      atol: 0,
    });
  });

  it('validates its options', async () => {
    const base = { depth: 3, xs, ys, learningRate: 0.01, epochs: 1 };
    await expect(trainChains(gpu(), base)).rejects.toThrow(
      'trainChains: options must be given exactly one of keys and params, got "keys and params"',
    );
    await expect(trainChains(gpu(), { ...base, params: [1, 2, 3] })).rejects.toThrow(
      'trainChains: options.params must hold K networks of 2·depth = 6 values, got length 3',
    );
    await expect(
      trainChains(gpu(), { ...base, keys: [key(0)], order: () => [1, 2] }),
    ).rejects.toThrow('trainChains: options.order(0) must have n = 20 or K·n = 20 entries, got 2');
    await expect(trainChains(gpu(), { ...base, keys: [key(0)], learningRate: -1 })).rejects.toThrow(
      'trainChains: options.learningRate must be a finite number > 0, got -1',
    );
    await expect(
      trainChains(gpu(), { ...base, keys: [key(0)], shuffle: 'perEpoch' as 'none' }),
    ).rejects.toThrow(
      "trainChains: options.shuffle must be 'epoch', 'fixed' or 'none', got \"perEpoch\"",
    );
    await expect(
      trainChains(gpu(), { ...base, keys: [key(0)], shuffle: 'fixed', order: () => [0] }),
    ).rejects.toThrow(
      'trainChains: options.order must be omitted with shuffle \'fixed\', got "given"',
    );
    await expect(
      trainChains(gpu(), { ...base, params: [1, 2, 3, 4, 5, 6], shuffle: 'epoch' }),
    ).rejects.toThrow(
      "trainChains: options.shuffleKeys must be given with params and shuffle 'epoch' (one key per network), got undefined",
    );
    await expect(
      trainChains(gpu(), { ...base, keys: [key(0)], shuffleKeys: split(key(1), 2) }),
    ).rejects.toThrow('trainChains: options.shuffleKeys must have K = 1 keys, got 2');
    await expect(
      trainChains(gpu(), { ...base, keys: [key(0)], shuffleOn: 'wasm' as 'cpu' }),
    ).rejects.toThrow("trainChains: options.shuffleOn must be 'gpu' or 'cpu', got \"wasm\"");
  });
});
