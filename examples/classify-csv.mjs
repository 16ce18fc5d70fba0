// Classify a CSV: read data/flowers.csv (two measurements and a species per row), train a small
// softmax classifier on 3/4 of the rows and report the accuracy on the rest.
// Run: pnpm build && node examples/classify-csv.mjs
import { fileURLToPath } from 'node:url';
import { initMlp, key, mlpSpec } from '@annlab/core';
import { accuracy, adam, confusionMatrix, fit, predictClass } from '@annlab/train';
import { readTableFile } from '@annlab/train/node';

export const csvPath = fileURLToPath(new URL('./data/flowers.csv', import.meta.url));

/** Class indices 0..K−1 → rows × K one-hot targets, as softmaxCrossEntropy expects. */
function oneHot(labels, K) {
  const out = new Float64Array(labels.length * K);
  labels.forEach((c, i) => {
    out[i * K + c] = 1;
  });
  return out;
}

export async function run({ epochs = 150 } = {}) {
  const table = await readTableFile(csvPath, {
    x: ['width', 'height'],
    y: 'species',
    task: 'classification',
  });
  const K = table.classes.length;
  const cols = table.xColumns.length;
  const nTrain = Math.floor(table.rows * 0.75); // the file's rows are already in random order
  const xTrain = table.x.subarray(0, nTrain * cols);
  const xTest = table.x.subarray(nTrain * cols);
  const yTest = table.y.subarray(nTrain);

  const spec = mlpSpec([cols, 8, K], 'tanh', 'identity'); // K logits
  const model = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(1))) };
  const { model: trained } = fit(
    model,
    { x: xTrain, y: oneHot(table.y.subarray(0, nTrain), K) },
    { epochs, optimizer: adam(0.02), loss: 'softmaxCrossEntropy', batch: 16, normalize: true },
  );
  const predicted = predictClass(trained, xTest);
  return {
    classes: table.classes,
    trainRows: nTrain,
    testRows: table.rows - nTrain,
    accuracy: accuracy(predicted, yTest),
    confusion: confusionMatrix(predicted, yTest, K),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  console.log(
    `classes: ${r.classes.join(', ')}; ${r.trainRows} rows to train, ${r.testRows} to test`,
  );
  console.log(`test accuracy ${(100 * r.accuracy).toFixed(1)}%`);
}
