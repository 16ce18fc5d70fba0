/**
 * W4: MLP 1→64→64→1, tanh hidden, MSE, SGD 0.05, mini-batches of 256 (the last of each epoch has
 * 16 rows), 20 shuffled epochs of 10,000 points of sin(3x) on [−2, 2] (800 updates).
 */
import { annlabMlpImpl } from '../annlab.js';
import { stepsPerEpoch, w4Problem } from '../data.js';
import { handMlpTrainer, mlpLoss } from '../hand/mlp.js';
import { handImpl, jaxImpl, jaxMlpTrainer, tfImpl, tfMlpTrainer } from './peers.js';
import type { TrainingWorkload } from './types.js';

const p = w4Problem();

/** W4 and its implementations. */
export const w4: TrainingWorkload = {
  id: 'W4',
  title: 'MLP 1→64→64→1 tanh, MSE, SGD 0.05, mini-batches of 256, 20 shuffled epochs',
  epochs: { full: 20, quick: 4 },
  updatesPerEpoch: stepsPerEpoch(p),
  tolerance: { rtol: 2e-3, atol: 1e-6 },
  lossLabel: 'MSE over the 10,000 points',
  losses: (params) => [mlpLoss(p, params)],
  reference: () => handMlpTrainer(p),
  impls: {
    annlab: { ...annlabMlpImpl(p, 'W4'), warmupEpochs: 4 },
    annlabF32: { ...annlabMlpImpl(p, 'W4', 'float32'), warmupEpochs: 4 },
    hand: { ...handImpl(() => handMlpTrainer(p)), warmupEpochs: 4 },
    tfjsCpu: tfImpl('cpu', () => tfMlpTrainer(p), { full: 5, quick: 2 }, 1),
    tfjsWasm: tfImpl('wasm', () => tfMlpTrainer(p), { full: 5, quick: 2 }, 1),
    jaxWasm: jaxImpl('wasm', () => jaxMlpTrainer(p), undefined, 1),
  },
};
