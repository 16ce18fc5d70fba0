/**
 * End-to-end tests: the built `annlab` binary spawned as a process (turbo builds it before `test`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './inProcess.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'annlab.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'annlab-cli-'));

function annlab(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 110_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI run in this process (no child process) for argument and file errors. */
const inProc = (...args: string[]) => cli(args);

/** One clear line on stderr, prefixed "annlab: ". */
function expectOneLineError(r: { stderr: string }, pattern: RegExp) {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^annlab: /);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(() => {
  if (!existsSync(join(import.meta.dirname, '..', 'dist', 'main.js'))) {
    throw new Error(
      'apps/cli is not built: run `pnpm --filter @annlab/cli build` (turbo does it before test)',
    );
  }
});

describe('help and usage', () => {
  it('prints help for the tool and every command', () => {
    const top = annlab('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Commands:[\s\S]*lecture[\s\S]*fit[\s\S]*predict[\s\S]*info/);
    for (const cmd of ['fit', 'predict', 'lecture', 'info']) {
      const r = annlab(cmd, '--help');
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(new RegExp(`annlab ${cmd}`));
    }
  });
  it('no command prints help and exits 2; an unknown command is one line', () => {
    const none = annlab();
    expect(none.code).toBe(2);
    // a usage error: help on stderr, nothing on stdout (issue 12, item 16)
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/Commands:/);
    const r = annlab('train');
    expect(r.code).toBe(2);
    expectOneLineError(r, /unknown command "train"/);
  });
  it('unknown flags are usage errors', () => {
    const r = annlab('fit', '--target', 'x', '--depthh', '3');
    expect(r.code).toBe(2);
    expectOneLineError(r, /--depthh/);
  });
});

describe('fit', () => {
  it('fits −3x + 2 and prints the JSON summary', () => {
    const r = annlab(
      'fit',
      '--target',
      '-3x + 2',
      '--domain',
      '0.5,3',
      '--points',
      '50',
      '--epochs',
      '100',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    for (const k of ['finalLoss', 'rmse', 'epochs', 'updates', 'trainMs', 'backend'])
      expect(s).toHaveProperty(k);
    expect(s.backend).toBe('cpu');
    expect(s.model).toBe('chain');
    expect(s.epochs).toBe(100);
    expect(s.updates).toBe(100 * 50); // per-sample SGD by default
    // measured ≈ 0.9 rmse after 100 short epochs from key 0; the bound only guards against nonsense
    expect(s.rmse).toBeLessThan(2);
  });
  it('writes a model that predict reads back, and a plot', () => {
    const model = join(tmp, 'model.json');
    const plot = join(tmp, 'fit.svg');
    const r = annlab(
      'fit',
      '--target',
      'sin(3x)',
      '--domain',
      '-2,2',
      '--points',
      '64',
      '--width',
      '16',
      '--depth',
      '3',
      '--activation',
      'tanh',
      '--optimizer',
      'adam',
      '--lr',
      '0.01',
      '--batch',
      '16',
      '--epochs',
      '40',
      '--out',
      model,
      '--plot',
      plot,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).model).toBe('mlp');
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const p = annlab('predict', '--model', model, '--x', '0,0.5,1', '--json');
    expect(p.code, p.stderr).toBe(0);
    const out = JSON.parse(p.stdout);
    expect(out.x).toEqual([0, 0.5, 1]);
    expect(out.y).toHaveLength(3);
    for (const v of out.y) expect(Number.isFinite(v)).toBe(true);
  });
  it('writes PNG plots', () => {
    const plot = join(tmp, 'fit.png');
    const r = annlab(
      'fit',
      '--target',
      'x^2',
      '--domain',
      '0,1',
      '--points',
      '20',
      '--epochs',
      '5',
      '--plot',
      plot,
    );
    expect(r.code, r.stderr).toBe(0);
    const png = readFileSync(plot);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
  it('rejects a bad formula, a non-finite target and bad numbers with one line and exit 2', async () => {
    const bad = await inProc('fit', '--target', '3x +', '--epochs', '1');
    expect(bad.code).toBe(2);
    expectOneLineError(bad, /bad formula: cannot parse "3x \+"/);
    const unknown = await inProc('fit', '--target', 'y + 1', '--epochs', '1');
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown, /unknown name "y"/);
    const nonFinite = await inProc(
      'fit',
      '--target',
      'log(x)',
      '--domain',
      '-1,1',
      '--epochs',
      '1',
    );
    expect(nonFinite.code).toBe(2);
    expectOneLineError(nonFinite, /not finite at x = -1/);
    const lr = await inProc('fit', '--target', 'x', '--lr', 'abc');
    expect(lr.code).toBe(2);
    expectOneLineError(lr, /--lr must be a finite number, got "abc"/);
    const neg = await inProc('fit', '--target', 'x', '--lr', '-1');
    expectOneLineError(neg, /--lr must be > 0, got "-1"/);
    const epochs = await inProc('fit', '--target', 'x', '--epochs', '2.5');
    expectOneLineError(epochs, /--epochs must be an integer, got "2.5"/);
    const domain = await inProc('fit', '--target', 'x', '--domain', '3,1');
    expectOneLineError(domain, /--domain must be two numbers A,B with A < B, got "3,1"/);
    const act = await inProc('fit', '--target', 'x', '--activation', 'swish');
    expectOneLineError(act, /--activation must be one of .*got "swish"/);
    const missing = await inProc('fit');
    expect(missing.code).toBe(2);
    expectOneLineError(missing, /--target EXPR is required/);
    const batch = await inProc(
      'fit',
      '--target',
      'x',
      '--points',
      '10',
      '--batch',
      '20',
      '--epochs',
      '1',
    );
    expect(batch.code).toBe(2);
    expectOneLineError(batch, /--batch 20 is larger than the 10 training points/);
  });
});

describe('predict', () => {
  it('reports a missing or malformed model file with one line and exit 1', async () => {
    const missing = await inProc('predict', '--model', join(tmp, 'nope.json'), '--x', '1');
    expect(missing.code).toBe(1);
    expectOneLineError(missing, /model file not found: .*nope\.json/);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"format": "annlab-model", "version": 1');
    const malformed = await inProc('predict', '--model', bad, '--x', '1');
    expect(malformed.code).toBe(1);
    expectOneLineError(malformed, /malformed model file/);
    const xs = await inProc('predict', '--model', bad, '--x', '1,,2');
    expect(xs.code).toBe(2);
    expectOneLineError(xs, /--x: item 2 \(""\) is not a finite number/);
  });
});

const requireGpu = process.env.ANNLAB_REQUIRE_GPU === '1';

describe('info and the WebGPU backend', () => {
  it('reports versions and the adapter', () => {
    const r = annlab('info', '--json');
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.versions['@annlab/core']).toMatch(/^\d+\.\d+\.\d+/);
    if (requireGpu) expect(info.webgpu.available, JSON.stringify(info.webgpu)).toBe(true);
    if (!info.webgpu.available)
      console.warn(`annlab info: WebGPU not available here: ${info.webgpu.reason}`);
  });
  it('fits on WebGPU when an adapter exists, else fails with one clear line', () => {
    const r = annlab(
      'fit',
      '--target',
      '-3x + 2',
      '--domain',
      '0.5,3',
      '--points',
      '32',
      '--width',
      '8',
      '--depth',
      '2',
      '--batch',
      'full',
      '--optimizer',
      'adam',
      '--lr',
      '0.05',
      '--epochs',
      '60',
      '--backend',
      'webgpu',
      '--json',
    );
    if (r.code === 0) {
      const s = JSON.parse(r.stdout);
      expect(s.backend).toBe('webgpu');
      expect(s.updates).toBe(60);
      expect(Number.isFinite(s.finalLoss)).toBe(true);
      // the same run on the CPU path, for agreement of the loss scale (f32 GPU vs f64 CPU)
      const cpu = JSON.parse(
        annlab(
          'fit',
          '--target',
          '-3x + 2',
          '--domain',
          '0.5,3',
          '--points',
          '32',
          '--width',
          '8',
          '--depth',
          '2',
          '--batch',
          'full',
          '--optimizer',
          'adam',
          '--lr',
          '0.05',
          '--epochs',
          '60',
          '--json',
        ).stdout,
      );
      expect(s.finalLoss).toBeAllclose(cpu.finalLoss, { rtol: 1e-2, atol: 1e-4 });
    } else {
      expect(requireGpu).toBe(false);
      expect(r.code).toBe(1);
      expectOneLineError(r, /WebGPU unavailable/);
    }
  });
});

describe('lecture', () => {
  it('reproduces the lecture (shortened) and writes figures, summary.json and index.html', () => {
    const out = join(tmp, 'lecture');
    const r = annlab('lecture', '--out', out, '--epochs-scale', '0.04');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/linear algebra vs autodiff: max \|difference\| = /);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    // the linear-algebra gradient equals autodiff to rounding
    expect(summary.linearAlgebraCheck.triangularVsAutodiff).toBeLessThan(1e-12);
    expect(summary.example2).toHaveLength(3);
    for (const name of [
      'example1-fit',
      'example1-loss',
      'example2-depths',
      'example2-loss',
      'vanishing-gradients',
    ]) {
      expect(existsSync(join(out, `${name}.svg`)), name).toBe(true);
      expect(existsSync(join(out, `${name}.png`)), name).toBe(true);
    }
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toMatch(/<img src="example1-fit.svg"/);
    // vanishing gradients: the sigmoid chain's first layer gets orders of magnitude less than its last
    const v = summary.vanishingGradients;
    expect(v.sigmoid[9] / v.sigmoid[0]).toBeGreaterThan(100);
    // leaky ReLU on the chain also shrinks (the AD blog's lesson), plain ReLU gives exact zeros
    expect(v.leakyRelu[9] / v.leakyRelu[0]).toBeGreaterThan(100);
    expect(v.reluZeroLayers).toBeGreaterThan(0);
    expect(v.relu[0]).toBe(0);
    // the 2 × 3 leaky-ReLU network: no layer below 1e-3 × the largest
    expect(Math.min(...v.leakyNetwork) / Math.max(...v.leakyNetwork)).toBeGreaterThan(1e-3);
    expect(existsSync(join(out, 'leaky-relu-network.svg'))).toBe(true);
  });
});
