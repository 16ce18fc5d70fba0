import { describe, expect, it } from 'vitest';
import { run, target } from '../fit-formula.mjs';

describe('examples/fit-formula.mjs', () => {
  it('fits sin(2x) + x/2 within 0.05 at points between the grid', () => {
    const { finalLoss, probe, predicted } = run();
    expect(Number.isFinite(finalLoss)).toBe(true);
    // 400 epochs of Adam on 64 points: the fit is close but not exact; 0.05 absolute leaves margin.
    expect(predicted).toBeAllclose(probe.map(target), { rtol: 0, atol: 0.05 });
  });
});
