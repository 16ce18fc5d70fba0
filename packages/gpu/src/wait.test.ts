import { describe, expect, it } from 'vitest';
import type { Gpu } from './device.js';
import { expectedMs, MIN_SLEEP_WORK_MS, SLEEP_FRACTION, waitForWork } from './wait.js';

/**
 * A stand-in device whose submitted work finishes `workMs` after `submit()`; it counts how long
 * `onSubmittedWorkDone` stayed pending (the time Dawn's binding would spend polling).
 */
function fakeGpu(sleepWhileWaiting: boolean) {
  let doneAt = 0;
  let polledMs = 0;
  const gpu = {
    sleepWhileWaiting,
    guard: <T>(work: Promise<T>) => work,
    device: {
      queue: {
        onSubmittedWorkDone: () => {
          const t0 = performance.now();
          const left = doneAt - t0;
          const finish = (resolve: () => void) => () => {
            polledMs += performance.now() - t0;
            resolve();
          };
          // Work already done resolves on the next turn, as Dawn's first poll would.
          return new Promise<void>((resolve) =>
            left <= 0 ? setImmediate(finish(resolve)) : setTimeout(finish(resolve), left),
          );
        },
      },
    },
  } as unknown as Gpu;
  return {
    gpu,
    /** Submits work of `workMs`; returns the start time. */
    submit(workMs: number): number {
      const t = performance.now();
      doneAt = t + workMs;
      return t;
    },
    takePolled(): number {
      const p = polledMs;
      polledMs = 0;
      return p;
    },
  };
}

async function round(f: ReturnType<typeof fakeGpu>, key: string, workMs: number, units = 1) {
  const t0 = f.submit(workMs);
  await waitForWork(f.gpu, key, units, t0, 'test');
  return { total: performance.now() - t0, polled: f.takePolled() };
}

describe('waiting for the GPU without polling all the time (Node + Dawn)', () => {
  it('polls the first two times, then sleeps through most of the measured time', async () => {
    const f = fakeGpu(true);
    const first = await round(f, 'k', 60);
    const second = await round(f, 'k', 60);
    // Nothing known yet: the whole wait is a poll.
    expect(first.polled).toBeGreaterThan(50); // ms, of 60
    expect(second.polled).toBeGreaterThan(50);
    expect(expectedMs(f.gpu, 'k')).toBeGreaterThanOrEqual(55);
    // Then it sleeps through half of it, then 70 %, then 90 % (SLEEP_FRACTION), polling the rest.
    expect(SLEEP_FRACTION).toBe(0.9);
    const third = await round(f, 'k', 60);
    expect(third.polled).toBeLessThan(45); // ms of 60: ~30 % slept
    await round(f, 'k', 60);
    const fifth = await round(f, 'k', 60);
    expect(fifth.polled).toBeLessThan(20); // ms of 60: ~90 % slept, less the 2 ms timer slack
    // and the work is not delayed by more than timer slack (generous: CI machines are busy).
    expect(fifth.total).toBeLessThan(60 + 40);
  });

  it('scales the sleep with the units of work (training steps per submission)', async () => {
    const f = fakeGpu(true);
    await round(f, 'steps', 20, 1);
    await round(f, 'steps', 20, 1);
    const perUnit = expectedMs(f.gpu, 'steps')!;
    expect(perUnit).toBeGreaterThanOrEqual(18); // ms per step
    let five = await round(f, 'steps', 100, 5);
    for (let i = 0; i < 2; i++) five = await round(f, 'steps', 100, 5);
    expect(five.polled).toBeLessThan(30); // ms of 100: slept through ~90 %
    expect(five.total).toBeLessThan(100 + 50);
  });

  it('wakes earlier after oversleeping, and does not chase one slow run', async () => {
    const f = fakeGpu(true);
    await round(f, 'v', 80);
    await round(f, 'v', 80);
    const before = expectedMs(f.gpu, 'v')!;
    // The work became much faster: the sleep (~0.5·80 ms) outlasts it; the estimate shrinks to 80 %.
    const fast = await round(f, 'v', 10);
    expect(fast.polled).toBeLessThan(OVERSLEPT_SLACK);
    expect(expectedMs(f.gpu, 'v')).toBeCloseTo(0.8 * before, 6);
    // A slower run than expected moves the estimate only halfway towards it.
    const e0 = expectedMs(f.gpu, 'v')!;
    const slow = await round(f, 'v', 3 * e0);
    expect(slow.polled).toBeGreaterThan(0);
    const e1 = expectedMs(f.gpu, 'v')!;
    expect(e1).toBeGreaterThan(e0);
    expect(e1).toBeLessThan(0.5 * (e0 + slow.total) + 1e-9);
  });

  it('polls for short work, where a late timer would cost more than the poll', async () => {
    const f = fakeGpu(true);
    expect(MIN_SLEEP_WORK_MS).toBe(25);
    for (let i = 0; i < 4; i++) {
      const r = await round(f, 'short', 12);
      expect(r.polled).toBeGreaterThan(8); // ms of 12: all of it polled
    }
  });

  it('never sleeps when sleepWhileWaiting is off (browsers, or by choice)', async () => {
    const f = fakeGpu(false);
    for (let i = 0; i < 3; i++) {
      const r = await round(f, 'off', 30);
      expect(r.polled).toBeGreaterThan(25); // ms of 30: all of it polled
    }
  });

  it('keeps separate estimates per key and ignores empty work', async () => {
    const f = fakeGpu(true);
    await round(f, 'a', 20);
    expect(expectedMs(f.gpu, 'a')).toBeGreaterThan(15);
    expect(expectedMs(f.gpu, 'b')).toBeUndefined();
    await round(f, 'zero', 5, 0);
    expect(expectedMs(f.gpu, 'zero')).toBeUndefined();
  });
});

/** A poll that finds the work done returns within a timer tick. */
const OVERSLEPT_SLACK = 5;
