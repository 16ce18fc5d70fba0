// The page: builds a model, starts training in a worker and shows progress; the trained model comes
// back as train's checkpoint JSON, ready for loadModel/predict here.
import { initMlp, key, mlpSpec } from '@annlab/core';
import { loadModel, predict, saveModel } from '@annlab/train';
import { connectTrainer } from '@annlab/train/worker';

const target = (x) => Math.sin(3 * x);
const x = Float64Array.from({ length: 100 }, (_, i) => -1 + (2 * i) / 99);
const y = x.map(target);
const spec = mlpSpec([1, 16, 1], 'tanh', 'identity');
const model = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };

const worker = new Worker(new URL('./train.worker.js', import.meta.url), { type: 'module' });
const show = (id, text) => {
  document.getElementById(id).textContent = text;
};
const trainer = connectTrainer(worker, (m) => {
  if (m.type === 'progress') {
    show('epoch', String(m.epoch));
    show('loss', m.loss.at(-1).toExponential(2));
  } else if (m.type === 'done') {
    const trained = loadModel(m.model);
    const probe = [-0.8, 0.1, 0.55];
    const predicted = Array.from(predict(trained, probe));
    show('status', `done after ${m.epoch} epochs`);
    // For the example's test (and the console): what the trained network says at three points.
    globalThis.exampleResult = { epoch: m.epoch, probe, predicted, expected: probe.map(target) };
    trainer.close();
    worker.terminate();
  } else if (m.type === 'error') {
    show('status', `${m.name}: ${m.message}`);
    globalThis.exampleResult = { error: `${m.name}: ${m.message}` };
  }
});
trainer.start({ model: saveModel(model), x, y, epochs: 300 }, { progressEvery: 50 });
