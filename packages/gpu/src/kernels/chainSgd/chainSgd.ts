/**
 * Typed wrapper of the many-chains kernel: compiles the train and loss variants.
 */
import type { ActivationSpec } from '@annlab/core';
import type { Gpu } from '../../device.js';
import type { CompiledKernel } from '../../pipelineCache.js';
import { activationKey } from '../biasActivation/activations.wgsl.js';
import { makeChainShader } from './chainSgd.wgsl.js';

/** The train and loss pipelines for chains of depth ≤ maxDepth (rounded up to a multiple of 4). */
export async function chainKernels(
  gpu: Gpu,
  maxDepth: number,
  hidden: ActivationSpec,
): Promise<{ train: CompiledKernel; loss: CompiledKernel; maxDepth: number }> {
  const D = Math.ceil(maxDepth / 4) * 4;
  const h = activationKey(hidden);
  const [train, loss] = await Promise.all(
    (['train', 'loss'] as const).map((mode) =>
      gpu.pipelines.get(`chainSgd(${h},D=${D},${mode})`, () =>
        makeChainShader({ maxDepth: D, hidden, mode }),
      ),
    ),
  );
  return { train: train!, loss: loss!, maxDepth: D };
}
