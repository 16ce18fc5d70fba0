import { describe, expect, it } from 'vitest';
import { w5StepFlops } from './report.js';
import { peakModule } from './sections/peak.js';

describe('the f32x4 peak kernel and the W5 flop count', () => {
  it.each([false, true])(
    'relaxed = %s: the module validates where supported and run(n) is finite',
    (relaxed) => {
      const bytes = peakModule(relaxed);
      if (!WebAssembly.validate(bytes)) {
        expect(relaxed).toBe(true); // plain SIMD always validates in Node 20
        return;
      }
      const { run } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as {
        run: (n: number) => number;
      };
      const v = run(1000);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
    },
  );
  it('W5 step flops: 2·B·(2·Σ macs + Σ macs of layers 2…L), by hand for 2→256→256→256→1', () => {
    const macs = 2 * 256 + 256 * 256 + 256 * 256 + 256; // 131,840
    const later = macs - 2 * 256;
    expect(w5StepFlops([2, 256, 256, 256, 1], 4096)).toBe(2 * 4096 * (2 * macs + later));
  });
});
