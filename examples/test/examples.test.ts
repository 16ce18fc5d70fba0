/**
 * Runs every example script with Node against the built packages, as a user would, and checks the
 * line it prints. The WebGPU example is skipped with its reason when no adapter is found (exit 3),
 * unless ANNLAB_REQUIRE_GPU=1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const here = new URL('..', import.meta.url).pathname;
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env = {
  ...process.env,
  ...(process.env.VK_ICD_FILENAMES || !existsSync(swiftshader)
    ? {}
    : { VK_ICD_FILENAMES: swiftshader }),
};

function run(script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd: here,
    env,
    encoding: 'utf8',
    timeout: 110_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('examples/', () => {
  it('fit-formula.mjs fits sin(3x) to an rmse below 0.05', () => {
    const { status, out } = run('fit-formula.mjs', 'sin(3x)');
    expect(status, out).toBe(0);
    const rmse = Number(/rmse (\S+)/.exec(out)?.[1]);
    expect(rmse).toBeLessThan(0.05);
  });

  it('classify-csv.mjs separates the three blobs (accuracy ≥ 0.95)', () => {
    const { status, out } = run('classify-csv.mjs');
    expect(status, out).toBe(0);
    expect(out).toContain('classes blue, green, red');
    expect(Number(/accuracy (\S+)/.exec(out)?.[1])).toBeGreaterThanOrEqual(0.95);
  });

  it('export-onnx.mjs runs the exported model in onnxruntime-node within 1e-5 of predict', () => {
    const { status, out } = run('export-onnx.mjs');
    expect(status, out).toBe(0);
    expect(Number(/predict (\S+)/.exec(out)?.[1])).toBeLessThanOrEqual(1e-5);
  });

  it('gpu-many-networks.mjs trains 200 chains on WebGPU', () => {
    const { status, out } = run('gpu-many-networks.mjs', '200');
    if (status === 3 && !process.env.ANNLAB_REQUIRE_GPU) {
      console.warn(`[examples] WebGPU example skipped: ${out.trim()}`);
      return;
    }
    expect(status, out).toBe(0);
    expect(out).toMatch(/^200 networks on .*: median loss \S+/m);
  });
});
