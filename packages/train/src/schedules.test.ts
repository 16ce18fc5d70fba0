import { describe, expect, it } from 'vitest';
import {
  constantSchedule,
  cosineDecay,
  exponentialDecay,
  linearSchedule,
  linearWarmup,
  stepDecay,
  toSchedule,
  warmupCosineDecay,
} from './schedules.js';

const at = (s: (t: number) => number, steps: number[]) => steps.map(s);

describe('schedules', () => {
  it('constant, step and exponential decay follow their closed forms', () => {
    expect(at(constantSchedule(0.3), [0, 10, 1e6])).toEqual([0.3, 0.3, 0.3]);
    expect(at(stepDecay(0.1, { stepSize: 100, gamma: 0.5 }), [0, 99, 100, 250])).toBeAllclose(
      [0.1, 0.1, 0.05, 0.025],
      { rtol: 1e-15, atol: 0 },
    );
    const e = exponentialDecay(1, { rate: 0.5, transitionSteps: 10 });
    expect(at(e, [0, 5, 20])).toBeAllclose([1, Math.SQRT1_2, 0.25], { rtol: 1e-15, atol: 0 });
    const st = exponentialDecay(1, {
      rate: 0.5,
      transitionSteps: 10,
      staircase: true,
      endValue: 0.2,
    });
    expect(at(st, [5, 10, 25, 100])).toBeAllclose([1, 0.5, 0.25, 0.2], { rtol: 1e-15, atol: 0 });
  });

  it('cosine decay goes from init to init·alpha and stays there', () => {
    const c = cosineDecay(2, { decaySteps: 100, alpha: 0.1 });
    expect(at(c, [0, 50, 100, 200])).toBeAllclose([2, 1.1, 0.2, 0.2], { rtol: 1e-14, atol: 1e-15 });
  });

  it('linear warm-up ramps from 0 to the peak, then hands over', () => {
    expect(at(linearSchedule({ from: 0, to: 0.1, steps: 10 }), [0, 5, 10, 20])).toBeAllclose(
      [0, 0.05, 0.1, 0.1],
      { rtol: 1e-15, atol: 0 },
    );
    expect(at(linearWarmup({ peak: 0.1, warmupSteps: 10 }), [0, 5, 10, 99])).toBeAllclose(
      [0, 0.05, 0.1, 0.1],
      { rtol: 1e-15, atol: 0 },
    );
    const wc = warmupCosineDecay({ peak: 1, warmupSteps: 10, decaySteps: 100 });
    expect(at(wc, [0, 5, 10, 60, 110, 500])).toBeAllclose([0, 0.5, 1, 0.5, 0, 0], {
      rtol: 1e-14,
      atol: 1e-15,
    });
  });

  it('validates its arguments, naming function, argument and value', () => {
    expect(() => toSchedule('adam', 0)).toThrow(
      'adam: learningRate must be a finite number > 0, got 0',
    );
    expect(() => toSchedule('adam', '0.1')).toThrow(
      'adam: learningRate must be a finite number > 0, got "0.1"',
    );
    expect(() => stepDecay(0.1, { stepSize: 0 })).toThrow(
      'stepDecay: options.stepSize must be an integer ≥ 1, got 0',
    );
    expect(() => cosineDecay(1, { decaySteps: 1.5 })).toThrow(
      'cosineDecay: options.decaySteps must be an integer ≥ 1, got 1.5',
    );
    expect(() => exponentialDecay(1, { rate: -1 })).toThrow(
      'exponentialDecay: options.rate must be a finite number > 0, got -1',
    );
    expect(() => linearWarmup({ peak: Number.NaN, warmupSteps: 1 })).toThrow(
      'linearWarmup: options.peak must be a finite number > 0, got NaN',
    );
  });
});
