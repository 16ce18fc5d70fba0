import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../onnx-export.mjs';

describe('examples/onnx-export.mjs', () => {
  it('writes model.onnx, and onnxruntime-node reproduces predict on 1,000 inputs', async () => {
    const r = await run();
    expect(existsSync(r.file)).toBe(true);
    expect(r.inputNames).toEqual(['x']);
    expect(r.outputNames).toEqual(['y']);
    expect(r.onnx.length).toBe(1000);
    // float32 inference against float64 predict: 1e-5 relative, with an absolute floor of 1e-5 ×
    // the largest output (float32 rounding near zero has no relative bound).
    const scale = Math.max(...Array.from(r.annlab, Math.abs));
    expect(r.onnx).toBeAllclose(r.annlab, { rtol: 1e-5, atol: 1e-5 * scale });
  });
});
