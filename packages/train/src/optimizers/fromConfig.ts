/** Rebuilds an optimizer from its JSON config (checkpoints, trainer snapshots). */
import { adam, adamw, addDecayedWeights, scaleByAdam } from './adam.js';
import { chain } from './chain.js';
import { clipByGlobalNorm } from './clip.js';
import { momentum, trace } from './momentum.js';
import { scaleByLearningRate, sgd } from './sgd.js';
import type { GradientTransformation, OptimizerConfig } from './types.js';

/**
 * The optimizer a config describes, or undefined when it cannot be rebuilt from the config alone
 * (a learning-rate schedule, or a transformation from outside this package).
 *
 * @example
 * ```ts
 * optimizerFromConfig(adam(0.01).config); // an adam(0.01, { b1: 0.9, b2: 0.999, eps: 1e-8 })
 * ```
 */
export function optimizerFromConfig(c: OptimizerConfig): GradientTransformation | undefined {
  const num = (k: string) => c[k] as number;
  const lr = c.learningRate;
  if ('learningRate' in c && typeof lr !== 'number') return undefined;
  switch (c.name) {
    case 'sgd':
      return sgd(num('learningRate'), {
        momentum: num('momentum'),
        nesterov: c.nesterov as boolean,
      });
    case 'momentum':
      return momentum(num('learningRate'), { beta: num('beta'), nesterov: c.nesterov as boolean });
    case 'adam':
      return adam(num('learningRate'), { b1: num('b1'), b2: num('b2'), eps: num('eps') });
    case 'adamw':
      return adamw(num('learningRate'), {
        b1: num('b1'),
        b2: num('b2'),
        eps: num('eps'),
        weightDecay: num('weightDecay'),
      });
    case 'scaleByAdam':
      return scaleByAdam({ b1: num('b1'), b2: num('b2'), eps: num('eps') });
    case 'addDecayedWeights':
      return addDecayedWeights(num('weightDecay'));
    case 'trace':
      return trace({ decay: num('decay'), nesterov: c.nesterov as boolean });
    case 'scaleByLearningRate':
      return scaleByLearningRate(num('learningRate'));
    case 'clipByGlobalNorm':
      return clipByGlobalNorm(num('maxNorm'));
    case 'chain': {
      const parts = (c.transforms as OptimizerConfig[]).map(optimizerFromConfig);
      return parts.every((p) => p !== undefined) ? chain(...parts) : undefined;
    }
    default:
      return undefined;
  }
}
