/**
 * W1 (Lecture Example 1): width-one chain, N = 3, f(x) = −3x + 2 on 200 points, per-sample SGD at
 * 0.01, 500 shuffled epochs (100,000 updates).
 */
import { annlabChainDefaultsImpl, annlabChainImpl } from '../annlab.js';
import { w1Problem } from '../data.js';
import { chainLoss, handChainShuffledTrainer, handChainTrainer } from '../hand/chain.js';
import {
  handImpl,
  jaxChainTrainer,
  jaxImpl,
  shuffledImpl,
  tfChainTrainer,
  tfImpl,
} from './peers.js';
import type { TrainingWorkload } from './types.js';

const p = w1Problem();

/** W1 and its implementations. */
export const w1: TrainingWorkload = {
  id: 'W1',
  title: 'Lecture Example 1: width-one chain N = 3, f(x) = −3x + 2, per-sample SGD, 500 epochs',
  epochs: { full: 500, quick: 100 },
  updatesPerEpoch: p.x.length,
  tolerance: { rtol: 1e-3, atol: 1e-7 },
  lossLabel: 'mean ½(ŷ − y)²',
  losses: ([w, b]) => [chainLoss(p, w!, b!)],
  reference: () => handChainTrainer(p),
  impls: {
    annlab: annlabChainImpl([p]),
    hand: handImpl(() => handChainTrainer(p)),
    annlabDefaults: annlabChainDefaultsImpl([p]),
    handShuffled: shuffledImpl(() => handChainShuffledTrainer(p)),
    tfjsCpu: tfImpl('cpu', () => tfChainTrainer(p), { full: 10, quick: 2 }, 1),
    tfjsWasm: tfImpl('wasm', () => tfChainTrainer(p), { full: 10, quick: 2 }, 1),
    jaxWasm: jaxImpl('wasm', () => jaxChainTrainer(p), { full: 10, quick: 2 }, 1),
  },
};
