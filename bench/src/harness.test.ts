import { describe, expect, it } from 'vitest';
import { measure, median, type Trainer } from './harness.js';

function counting(msPerEpoch: number): Trainer & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    reset() {
      calls.push('reset');
    },
    async train(epochs) {
      calls.push(`train ${epochs}`);
      await new Promise((r) => setTimeout(r, msPerEpoch * epochs));
    },
    params: () => [],
  };
}

describe('harness', () => {
  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBeAllclose(2, { rtol: 0, atol: 0 });
    expect(median([4, 1, 3, 2])).toBeAllclose(2.5, { rtol: 0, atol: 0 });
  });

  it('warms up once, then resets before every timed run', async () => {
    const t = counting(0);
    const timing = await measure(t, { epochs: 4, runs: 3, warmupEpochs: 1 });
    expect(t.calls).toEqual([
      'reset',
      'train 1',
      'reset',
      'train 4',
      'reset',
      'train 4',
      'reset',
      'train 4',
    ]);
    expect(timing.times.length).toBe(3);
    expect(timing.epochs).toBe(4);
  });

  it('cuts epochs to the budget, and runs once when one epoch exceeds it', async () => {
    const cut = await measure(counting(5), { epochs: 100, runs: 2, warmupEpochs: 1, budgetMs: 30 });
    expect(cut.epochs).toBeGreaterThanOrEqual(1);
    expect(cut.epochs).toBeLessThanOrEqual(6);
    expect(cut.times.length).toBe(2);
    const slow = await measure(counting(40), {
      epochs: 10,
      runs: 3,
      warmupEpochs: 1,
      budgetMs: 10,
    });
    expect(slow.epochs).toBe(1);
    expect(slow.times.length).toBe(1);
  });
});
