/**
 * W3: MLP 1→32→32→32→32→32→3, exact GELU after every layer, SSE, Adam (0.01, 0.9, 0.999, 1e-8),
 * 1000 full-batch epochs. Losses are compared at 250 epochs (after 1000 Adam steps float32
 * round-off spreads the final loss between libraries).
 */
import { annlabMlpImpl } from '../annlab.js';
import { w3Problem } from '../data.js';
import { handMlpTrainer, mlpLoss } from '../hand/mlp.js';
import { handImpl, jaxImpl, jaxMlpTrainer, tfImpl, tfMlpTrainer } from './peers.js';
import type { TrainingWorkload } from './types.js';

const p = w3Problem();

/** W3 and its implementations. */
export const w3: TrainingWorkload = {
  id: 'W3',
  title: 'MLP 1→32×5→3, exact GELU, SSE, Adam, 1000 full-batch epochs',
  epochs: { full: 1000, quick: 100 },
  updatesPerEpoch: 1,
  checkEpochs: { full: 250, quick: 100 },
  // float32 Adam drifts ~0.7 % from float64 by epoch 250 here (its update ≈ sign(g) where v̂ is
  // tiny amplifies round-off); the f32 libraries agree with each other to the same spread.
  tolerance: { rtol: 1e-2, atol: 1e-6 },
  lossLabel: 'Σ(ŷ − y)²',
  losses: (params) => [mlpLoss(p, params)],
  reference: () => handMlpTrainer(p),
  impls: {
    annlab: { ...annlabMlpImpl(p, 'W3'), warmupEpochs: 200 },
    hand: { ...handImpl(() => handMlpTrainer(p)), warmupEpochs: 200 },
    tfjsCpu: tfImpl('cpu', () => tfMlpTrainer(p), { full: 250, quick: 50 }, 20),
    tfjsWasm: tfImpl('wasm', () => tfMlpTrainer(p), { full: 250, quick: 50 }, 20),
    jaxWasm: jaxImpl('wasm', () => jaxMlpTrainer(p), { full: 250, quick: 50 }, 20),
  },
};
