/**
 * W2 (Lecture Example 2): as W1 with f(x) = log x, trained separately for N = 1, 2, 3, 300 epochs
 * each (3 × 60,000 updates). One timed run trains the three networks one after the other.
 */
import { annlabChainDefaultsImpl, annlabChainImpl } from '../annlab.js';
import { w2Problem } from '../data.js';
import {
  chainLoss,
  handChainShuffledTrainer,
  handChainTrainer,
  sequenceTrainer,
} from '../hand/chain.js';
import {
  handImpl,
  jaxChainTrainer,
  jaxImpl,
  shuffledImpl,
  tfChainTrainer,
  tfImpl,
} from './peers.js';
import type { TrainingWorkload } from './types.js';

const ps = [w2Problem(1), w2Problem(2), w2Problem(3)];

/** W2 and its implementations. */
export const w2: TrainingWorkload = {
  id: 'W2',
  title:
    'Lecture Example 2: width-one chains N = 1, 2, 3, f(x) = log x, per-sample SGD, 300 epochs each',
  epochs: { full: 300, quick: 60 },
  updatesPerEpoch: 3 * ps[0]!.x.length,
  tolerance: { rtol: 1e-3, atol: 1e-7 },
  lossLabel: 'mean ½(ŷ − y)² for N = 1 / 2 / 3',
  losses: (params) => ps.map((p, k) => chainLoss(p, params[2 * k]!, params[2 * k + 1]!)),
  reference: () => sequenceTrainer(ps.map(handChainTrainer)),
  impls: {
    annlab: annlabChainImpl(ps),
    hand: handImpl(() => sequenceTrainer(ps.map(handChainTrainer))),
    annlabDefaults: annlabChainDefaultsImpl(ps),
    handShuffled: shuffledImpl(() => sequenceTrainer(ps.map((p) => handChainShuffledTrainer(p)))),
    tfjsCpu: tfImpl('cpu', () => sequenceTrainer(ps.map(tfChainTrainer)), { full: 6, quick: 2 }, 1),
    tfjsWasm: tfImpl(
      'wasm',
      () => sequenceTrainer(ps.map(tfChainTrainer)),
      { full: 6, quick: 2 },
      1,
    ),
    jaxWasm: jaxImpl(
      'wasm',
      () => sequenceTrainer(ps.map(jaxChainTrainer)),
      { full: 6, quick: 2 },
      1,
    ),
  },
};
