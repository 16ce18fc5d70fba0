/**
 * Issue 12 against the built binary: each case below failed before its fix (item numbers as in the
 * issue). The interrupt test sends SIGINT at seeded random moments while `fit --out` trains and
 * writes: the file at --out is always the old model or the new one, each loadable.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainParams, initMlp, key, mlpSpec } from '@annlab/core';
import { loadModel, saveModel } from '@annlab/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './inProcess.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'annlab.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'annlab-cli-rel-'));

/** One clear line on stderr, prefixed "annlab: ", no raw control characters. */
function expectOneLine(r: { stderr: string }, pattern: RegExp) {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^annlab: /);
  expect([...lines[0]!].every((c) => c.charCodeAt(0) >= 0x20)).toBe(true);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(() => {
  if (!existsSync(join(import.meta.dirname, '..', 'dist', 'main.js'))) {
    throw new Error('apps/cli is not built: run `pnpm --filter @annlab/cli build`');
  }
});

const mlpFile = (sizes: number[], name: string) => {
  const spec = mlpSpec(sizes, 'tanh');
  const path = join(tmp, name);
  writeFileSync(
    path,
    saveModel({ kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(1))) }),
  );
  return path;
};

describe('item 1: an interrupted fit --out never leaves a cut-off file', () => {
  it('SIGINT at random moments: the file is the old model or the new one, each loadable', async () => {
    const out = join(tmp, 'interrupted.json');
    const args = (epochs: string) => [
      BIN,
      'fit',
      '--target',
      'sin(3x)',
      '--width',
      '96',
      '--depth',
      '3',
      '--batch',
      'full',
      '--points',
      '40',
      '--epochs',
      epochs,
      '--out',
      out,
    ];
    // the new model (deterministic from key 0) and, written over it, the old one
    const t0 = performance.now();
    expect(spawnSync(process.execPath, args('2'), { encoding: 'utf8' }).status).toBe(0);
    const runMs = performance.now() - t0;
    const newer = readFileSync(out, 'utf8');
    expect(spawnSync(process.execPath, args('1'), { encoding: 'utf8' }).status).toBe(0);
    const older = readFileSync(out, 'utf8');
    expect(older).not.toBe(newer);
    let state = 12345; // a fixed-seed LCG picks the moments
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const RUNS = 8;
    const seen = { old: 0, new: 0, interrupted: 0 };
    for (let i = 0; i < RUNS; i++) {
      writeFileSync(out, older);
      // the moment: mostly just after training ends (stderr shows epoch 2/2), while the model is
      // being written, plus 0–40 ms; otherwise anywhere in the run. Half the runs send a second
      // SIGINT 0–20 ms later (Ctrl-C pressed twice: exit at once, the temporary file removed).
      const afterTraining = next() < 0.7;
      const extra = 40 * next();
      const twice = next() < 0.5;
      const gap = 20 * next();
      const delay = runMs * (0.2 + 0.9 * next());
      const child = spawn(process.execPath, args('2'), { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let fired = false;
      const fire = () => {
        if (fired) return;
        fired = true;
        child.kill('SIGINT');
        if (twice) setTimeout(() => child.kill('SIGINT'), gap);
      };
      child.stderr.on('data', (d) => {
        stderr += d;
        if (afterTraining && /epoch 2\/2/.test(stderr)) setTimeout(fire, extra);
      });
      const timer = afterTraining ? undefined : setTimeout(fire, delay);
      const code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(c ?? sig)));
      clearTimeout(timer);
      const text = readFileSync(out, 'utf8');
      // never a cut-off file: the old model, the complete new one, or (exit 130, said in one line)
      // the parameters the interrupted run had reached
      expect(() => loadModel(text), `run ${i}: ${text.length} chars`).not.toThrow();
      if (text === older) seen.old++;
      else if (text === newer) seen.new++;
      else {
        expect(code).toBe(130);
        expect(stderr).toMatch(
          /^annlab: interrupted \(Ctrl-C\) in epoch \d of 2; saved the parameters/m,
        );
        seen.interrupted++;
      }
      // no temporary file is left beside it
      expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
    console.log(
      `interrupted fit --out: ${RUNS} runs: ${seen.old} left the old model, ${seen.new} the new one, ${seen.interrupted} the interrupted run's`,
    );
  });
});

describe('item 2: predict with several inputs or outputs', () => {
  it('prints one row per input row and every output', async () => {
    const m23 = mlpFile([2, 4, 3], 'm23.json');
    const r = await cli(['predict', '--model', m23, '--x', '1,2;3,4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.x).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(out.y).toHaveLength(2);
    for (const row of out.y) expect(row).toHaveLength(3);
    const text = await cli(['predict', '--model', m23, '--x', '1,2;3,4']);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.split('\t')).toHaveLength(5);
    const m12 = mlpFile([1, 4, 2], 'm12.json');
    const two = JSON.parse(
      (await cli(['predict', '--model', m12, '--x', '0,1,2', '--json'])).stdout,
    );
    expect(two.y).toHaveLength(3);
    for (const row of two.y) expect(row).toHaveLength(2);
  });
  it('refuses rows of the wrong width', async () => {
    const m23 = mlpFile([2, 4, 3], 'm23b.json');
    const r = await cli(['predict', '--model', m23, '--x', '1,2,3']);
    expect(r.code).toBe(2);
    expectOneLine(r, /--x: row 1 has 3 value\(s\), but the model takes 2 inputs/);
  });
});

describe('item 3: a flag is never taken as a value', () => {
  it('fit --target x --out --json and predict --model --json are usage errors', async () => {
    const fit = await cli(['fit', '--target', 'x', '--out', '--json'], {});
    expect(fit.code).toBe(2);
    expect(existsSync(join(process.cwd(), '--json'))).toBe(false);
    const predict = await cli(['predict', '--model', '--json']);
    expect(predict.code).toBe(2);
    expect(predict.stderr).toMatch(/--model needs a value, got the flag "--json"/);
  });
});

describe('item 4 and 11: sizes, numbers and their messages', () => {
  it.each([
    [
      ['--depth', '1000000000'],
      /--depth 1000000000 --width 1: the network \(2000000000 parameters\).*allocation limit of 134217728 \(raise it with ANNLAB_MAX_ELEMENTS\)/,
    ],
    [['--width', '1e6'], /--depth 3 --width 1000000: the network/],
    [['--epochs', '1e10'], /--epochs must be ≤ 10000000, got "1e10"/],
    [['--points', '1e7'], /--points must be ≤ 1000000, got "1e7"/],
    [['--key', '1e20'], /--key must be an integer of at most 2\^53 − 1, got "1e20"/],
    [['--key', '9007199254740993'], /got "9007199254740993"/],
    [['--domain', '1e308,1.7e308'], /--domain must lie within/],
    [['--batch', '5000'], /--batch 5000 is larger than the 200 training points/],
  ])('fit %j is a usage error (exit 2) with a clear line', async (flags, pattern) => {
    const r = await cli(['fit', '--target', 'x', ...(flags as string[])]);
    expect(r.code).toBe(2);
    expectOneLine(r, pattern as RegExp);
  });
  it('the limit is configurable', async () => {
    const r = await cli(['fit', '--target', 'x', '--depth', '50', '--epochs', '1'], {
      ANNLAB_MAX_ELEMENTS: '64',
    });
    expect(r.code).toBe(2);
    expectOneLine(r, /the network \(100 parameters\).*allocation limit of 64/);
  });
});

describe('item 6 and 15: formulas', () => {
  it('constructor ^ 0 is a bad formula; control characters are escaped on one line', async () => {
    const r = await cli(['fit', '--target', 'constructor ^ 0']);
    expect(r.code).toBe(2);
    expectOneLine(r, /unknown name "constructor"/);
    const ctl = await cli(['fit', '--target', 'x\u001b[2J\n+ y']);
    expect(ctl.code).toBe(2);
    expectOneLine(ctl, /\\u001b\[2J\\u000a/);
  });
});

describe('item 7 and 13: model files', () => {
  it('a model with weights of 1e200 is refused, never printed as null', async () => {
    const path = join(tmp, 'huge.json');
    writeFileSync(
      path,
      saveModel({
        kind: 'chain',
        params: chainParams([1e200, 1e200, 1e200], [0, 0, 0]),
        activations: ['identity', 'identity', 'identity'],
      }),
    );
    const r = await cli(['predict', '--model', path, '--x', '0.5,1']);
    expect(r.code).toBe(1);
    expectOneLine(r, /must give finite outputs/);
  });
  it('a model file with a UTF-8 byte-order mark loads', async () => {
    const path = mlpFile([1, 3, 1], 'bom.json');
    writeFileSync(path, `\ufeff${readFileSync(path, 'utf8')}`);
    const r = await cli(['predict', '--model', path, '--x', '1']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('item 9: a closed stdout', () => {
  it('predict | head -1 ends quietly, without EPIPE', async () => {
    const path = mlpFile([1, 3, 1], 'pipe.json');
    const xs = Array.from({ length: 20000 }, (_, i) => i / 100).join(',');
    const r = spawnSync(
      '/bin/sh',
      ['-c', `"${process.execPath}" "${BIN}" predict --model "${path}" --x "$XS" | head -1`],
      { encoding: 'utf8', env: { ...process.env, XS: xs } },
    );
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('');
  });
});

describe('item 12: output paths are checked before training', () => {
  it('a missing folder, an empty path and an unknown extension fail at once, naming the flag', async () => {
    const missing = await cli(['fit', '--target', 'x', '--plot', '/missing/dir/p.png']);
    expect(missing.code).toBe(2);
    expectOneLine(missing, /--plot: the folder "\/missing\/dir" does not exist/);
    const empty = await cli(['fit', '--target', 'x', '--out', '']);
    expect(empty.code).toBe(2);
    expectOneLine(empty, /--out needs a value/);
    const ext = await cli(['fit', '--target', 'x', '--plot', join(tmp, 'p.txt')]);
    expect(ext.code).toBe(2);
    expectOneLine(ext, /--plot must end in \.svg or \.png/);
  });
  it('--plot P.PNG writes a PNG', async () => {
    const png = join(tmp, 'P.PNG');
    const r = await cli(['fit', '--target', 'x', '--epochs', '2', '--points', '10', '--plot', png]);
    expect(r.code, r.stderr).toBe(0);
    expect([...readFileSync(png).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});

describe('item 16: errors under --json', () => {
  it('print {"error": {code, message}} on stdout with the same exit code', async () => {
    const r = await cli(['fit', '--target', 'x', '--epochs', '-1', '--json']);
    expect(r.code).toBe(2);
    const e = JSON.parse(r.stdout);
    expect(e.error.code).toBe('usage');
    expect(e.error.message).toMatch(/--epochs must be ≥ 1/);
    const missing = await cli(['predict', '--model', join(tmp, 'nope.json'), '--x', '1', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toEqual({
      code: 'failure',
      message: expect.stringMatching(/model file not found/),
    });
  });
});

describe('item 17: bounded reads', () => {
  it('predict refuses a model file over the size limit before reading it', async () => {
    const path = mlpFile([1, 3, 1], 'limit.json');
    const r = await cli(['predict', '--model', path, '--x', '1'], {
      ANNLAB_MAX_MODEL_BYTES: '100',
    });
    expect(r.code).toBe(1);
    expectOneLine(r, /bytes, over the limit of 100 \(ANNLAB_MAX_MODEL_BYTES\)/);
  });
});

describe('issue 11 item 9: the CLI on the trainer', () => {
  it('Ctrl-C stops training, saves the parameters atomically and names the epoch in one line', async () => {
    const out = join(tmp, 'sigint.json');
    writeFileSync(out, readFileSync(mlpFile([1, 3, 1], 'sigint-old.json')));
    const child = spawn(
      process.execPath,
      [BIN, 'fit', '--target', 'sin(3x)', '--width', '8', '--epochs', '100000', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    // SIGINT once the first progress line shows that training runs
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sent && /epoch \d+\/100000 +loss .* elapsed .* ETA /.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stdout).toBe('');
    const last = stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(
      /^annlab: interrupted \(Ctrl-C\) in epoch \d+ of 100000; saved the parameters reached so far to ".*sigint\.json"$/,
    );
    const model = loadModel(readFileSync(out, 'utf8'));
    expect(model.kind).toBe('mlp');
    expect(model.training?.stopReason).toBe('aborted');
  });
  it('on divergence the last good parameters are saved, in the CLI’s own words', async () => {
    const out = join(tmp, 'diverged.json');
    const r = await cli(['fit', '--target', '100*x', '--lr', '10', '--epochs', '50', '--out', out]);
    expect(r.code).toBe(1);
    expectOneLine(
      r,
      /^annlab: training diverged in epoch \d+ of 50 .*saved the last good parameters, from the start of epoch \d+, to ".*diverged\.json"; try a smaller --lr$/,
    );
    expect(r.stderr).not.toMatch(/lastGoodParams/);
    const model = loadModel(readFileSync(out, 'utf8'));
    expect(model.kind).toBe('chain');
  });
});
