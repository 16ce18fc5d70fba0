/**
 * The worker section of the README runs here. Its two ```typescript blocks (the worker file and
 * the page; fenced `typescript`, not `ts`, so readme.test.ts leaves them to this file) are copied
 * between `// README worker block N` markers and compared with the README as readme.test.ts does.
 * The copies run on one MessageChannel: `self` is one port, and `new Worker(…)` returns the other.
 */
import { readFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { initMlp, key, mlpSpec } from '@annlab/core';
import { describe, expect, it, vi } from 'vitest';
import {
  adam,
  cosineDecay,
  createTrainer,
  loadModel,
  type MlpModel,
  restoreTrainer,
  saveModel,
} from '../index.js';
import { connectTrainer } from './host.js';
import { serveTrainer } from './serve.js';

const canonical = (code: string) =>
  code
    .replace(/^import\s[\s\S]*?from\s+'[^']+';$/gm, '')
    .replace(/^export /gm, '')
    .replace(/\s+/g, '')
    .replace(/,(?=[)\]}])/g, '');

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const source = readFileSync(new URL('./docs.test.ts', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```typescript\n([\s\S]*?)```/g)].map((m) => m[1]!);
const copies = [
  ...source.matchAll(/\/\/ README worker block (\d+)\n([\s\S]*?)\/\/ README worker block end/g),
].map((m) => [Number(m[1]), m[2]!] as const);

describe('README: training in a worker', () => {
  it('both ```typescript blocks are copied here and match', () => {
    expect(blocks.length).toBe(2);
    expect(copies.map((c) => c[0])).toEqual([1, 2]);
    for (const [i, code] of copies) expect(canonical(code)).toBe(canonical(blocks[i - 1]!));
  });

  it('runs: the page trains in the worker, pauses, snapshots, resumes and saves the model', async () => {
    const { port1, port2 } = new MessageChannel();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const self = port1;
    const saved = new Map<string, string>();
    const localStorage = { setItem: (k: string, v: string) => saved.set(k, v) };
    const Worker = function Worker() {
      return port2;
    } as unknown as new (
      url: URL,
      options: object,
    ) => MessagePort;
    const spec = mlpSpec([1, 8, 1], 'tanh', 'identity');
    const mlp: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };
    const x = Float64Array.from({ length: 64 }, (_, i) => -1 + (2 * i) / 63);
    const y = x.map((v) => Math.sin(3 * v));
    const done = new Promise<void>((ok) => {
      const watch = setInterval(() => {
        if (saved.has('model')) {
          clearInterval(watch);
          ok();
        }
      }, 5);
    });
    try {
      {
        // README worker block 1
        // train.worker.ts (in Node: serveTrainer(parentPort, …) from 'node:worker_threads')
        interface Job {
          model: string; // saveModel JSON
          x: Float64Array;
          y: Float64Array;
          epochs: number;
        }

        serveTrainer<Job>(self, {
          setup: (job) => ({
            trainer: createTrainer(
              loadModel(job.model),
              { x: job.x, y: job.y },
              {
                epochs: job.epochs,
                batch: 16,
                optimizer: adam(cosineDecay(0.01, { decaySteps: 5000 })),
              },
            ),
            epochs: job.epochs,
          }),
        });
        // README worker block end
        // README worker block 2
        // the page (mlp, x and y as in the examples above)
        const worker = new Worker(new URL('./train.worker.ts', import.meta.url), {
          type: 'module',
        });
        const trainer = connectTrainer<Job>(worker, (m) => {
          if (m.type === 'progress') console.log(m.epoch, m.loss.at(-1)); // m.params: a Float64Array
          if (m.type === 'done') localStorage.setItem('model', m.model);
          if (m.type === 'error') console.error(m.name, m.message);
        });
        trainer.start({ model: saveModel(mlp), x, y, epochs: 2000 }, { progressEvery: 50 });
        trainer.pause(); // stops at the trainer's next yield
        const checkpoint = await trainer.snapshot(); // model, optimizer and shuffle state
        trainer.resume(); // the same trajectory as one uninterrupted run
        // README worker block end
        await done;
        // What the README claims: one uninterrupted run gives the same model.
        const options = {
          epochs: 2000,
          batch: 16,
          optimizer: adam(cosineDecay(0.01, { decaySteps: 5000 })),
        };
        const direct = createTrainer(mlp, { x, y }, options);
        direct.runEpochs(2000);
        const model = loadModel(saved.get('model')!) as MlpModel;
        expect(model.params).toBeAllclose(direct.params, { rtol: 0, atol: 0 });
        // Every 50 epochs, plus the epochs before the pause; the last at epoch 2000.
        expect(log.mock.calls.length).toBeGreaterThanOrEqual(40);
        expect(log.mock.calls.at(-1)![0]).toBe(2000);
        // The checkpoint was taken while paused and restores to the same end.
        const restored = restoreTrainer(checkpoint, { x, y }, { optimizer: options.optimizer });
        restored.runEpochs(2000);
        expect(restored.params).toBeAllclose(direct.params, { rtol: 0, atol: 0 });
        trainer.close();
      }
    } finally {
      log.mockRestore();
      port1.close();
      port2.close();
    }
  });
});
