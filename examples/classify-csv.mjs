// Classify a CSV: read labelled rows, train a softmax classifier, report the accuracy.
//   node examples/classify-csv.mjs [file.csv]   (default: examples/data/blobs.csv)
import { readFileSync } from 'node:fs';
import { initMlp, key, mlpSpec } from '@annlab/core';
import { accuracy, adam, fit, predictClass, readTable } from '@annlab/train';

const file = process.argv[2] ?? new URL('./data/blobs.csv', import.meta.url);
const table = readTable(readFileSync(file, 'utf8'), {
  x: ['x1', 'x2'],
  y: 'label',
  task: 'classification',
});
const k = table.classes.length;
const spec = mlpSpec([2, 16, k], 'relu');
const net = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(1))) };
// one-hot targets (rows × k) for the softmax cross-entropy
const oneHot = new Float64Array(table.y.length * k);
table.y.forEach((c, i) => {
  oneHot[i * k + c] = 1;
});
const { model } = fit(
  net,
  { x: table.x, y: oneHot },
  { epochs: 200, optimizer: adam(0.02), loss: 'softmaxCrossEntropy', normalize: { x: true } },
);
const classes = predictClass(model, table.x);
console.log(
  `classes ${table.classes.join(', ')}: accuracy ${accuracy(classes, table.y).toFixed(3)}`,
);
